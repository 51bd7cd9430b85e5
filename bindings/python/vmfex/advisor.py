# SPDX-License-Identifier: LGPL-2.1-or-later
"""The advisor (can this host do VM-FEX as planned?) and the host's VM-FEX
topology as a Graphviz DOT graph. The calls are methods: Context.advise(),
Context.topology_dot(), Context.render_topology()."""

from ctypes import sizeof

from . import _ffi
from ._base import Handle, Locked, dec, enc
from ._enums import Severity, XmlTopology, as_enum
from ._ffi import fn


def advisor_opts(pf=None, vms=0, topology=XmlTopology.PROFILE, fi_model=None):
    """The C options of vmfex_advisor_check()."""
    if pf is not None and not isinstance(pf, (str, bytes)):
        pf = pf.pci  # a PF object
    return _ffi.AdvisorOpts(sizeof(_ffi.AdvisorOpts), enc(pf), int(vms), int(topology),
                            enc(fi_model))


class Findings(Handle):
    """The advisor's findings (Context.advise()): iterable in the order they
    were found, with len(), max_severity and codes."""

    _unref = "vmfex_findings_unref"

    def __init__(self, ptr, ctx):
        super().__init__(ptr, ctx, ctx._state)

    def __iter__(self):
        p = fn.vmfex_findings_next(self._p, None)
        while p:
            yield Finding(p, self)
            p = fn.vmfex_findings_next(self._p, p)

    def __len__(self):
        return fn.vmfex_findings_get_count(self._p)

    @property
    def max_severity(self):
        """The most serious Severity among the findings (INFO when none)."""
        return as_enum(Severity, fn.vmfex_findings_get_max_severity(self._p))

    @property
    def ok(self):
        """Whether no finding is an error: the plan can work."""
        return self.max_severity < Severity.ERROR

    def codes(self):
        """The findings' codes, in order."""
        return [f.code for f in self]

    def get(self, code):
        """The findings of a code (a list)."""
        return [f for f in self if f.code == code]

    def __repr__(self):
        if self.closed:
            return "<vmfex.Findings closed>"
        return f"<vmfex.Findings {len(self)} max={self.max_severity.label}>"


class Finding(Locked):
    """One finding of a Findings list (which it keeps alive)."""

    __slots__ = ("_ptr", "_list")
    _state = property(lambda self: self._list._state)

    def __init__(self, ptr, lst):
        self._ptr = ptr
        self._list = lst

    @property
    def _p(self):
        self._list._p  # raises when the list was closed
        return self._ptr

    severity = property(lambda self: as_enum(Severity, fn.vmfex_finding_get_severity(self._p)),
                        doc="Severity.")
    code = property(lambda self: dec(fn.vmfex_finding_get_code(self._p)),
                    doc="A stable code, such as ``\"vic-no-sriov-vmfex\"``.")
    subject = property(lambda self: dec(fn.vmfex_finding_get_subject(self._p)),
                       doc="A PF's PCI address, or None for the host or the plan.")
    reason = property(lambda self: dec(fn.vmfex_finding_get_reason(self._p)),
                      doc="Why, one line.")
    action = property(lambda self: dec(fn.vmfex_finding_get_action(self._p)),
                      doc="What to do, one line (``\"nothing\"`` for a plain fact).")

    def __str__(self):
        sev = self.severity
        label = sev.label if isinstance(sev, Severity) else str(sev)
        subject = f" {self.subject}" if self.subject else ""
        return f"{label}: {self.code}{subject}: {self.reason} ({self.action})"

    def __repr__(self):
        return f"<vmfex.Finding {self.code} {self.severity!r}>"


def severity_label(value):
    """The name of any severity value, or None for an unknown one."""
    return dec(fn.vmfex_severity_to_string(int(value)))
