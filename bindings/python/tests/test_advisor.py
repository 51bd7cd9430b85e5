# SPDX-License-Identifier: LGPL-2.1-or-later
"""The advisor's findings and the topology graph on simulated hosts."""

import errno
import shutil

import pytest

import vmfex
from conftest import VM


def test_findings_vic1240(blade):
    findings = blade.advise()
    assert len(findings) == len(list(findings)) >= 1
    assert findings.max_severity == vmfex.Severity.ERROR
    assert not findings.ok
    nosriov = findings.get("vic-no-sriov-vmfex")
    assert {f.subject for f in nosriov} == {pf.pci for pf in blade.pfs()}
    for f in nosriov:
        assert f.severity == vmfex.Severity.ERROR
        assert f.severity.label == "error"
        assert "1240" in f.reason
        assert f.action and f.action != "nothing"
        assert str(f).startswith("error: vic-no-sriov-vmfex")
    assert "vic-no-sriov-vmfex" in findings.codes()


def test_findings_plan(blade):
    findings = blade.advise(pf="enp10s0f0", vms=4, topology=vmfex.XmlTopology.HOSTDEV,
                            fi_model="6454")
    codes = findings.codes()
    assert "fi-no-vmfex" in codes
    assert "no-live-migration" in codes
    assert findings.get("no-live-migration")[0].severity == vmfex.Severity.WARNING
    assert {f.subject for f in findings.get("vic-no-sriov-vmfex")} == {"0000:0a:00.0"}


def test_findings_bad_pf(blade):
    with pytest.raises(OSError) as e:
        blade.advise(pf="nope")
    assert e.value.errno == errno.ENODEV
    assert "nope" in str(e.value)


def test_finding_keeps_list_alive(blade):
    f = next(iter(blade.advise()))
    assert f.code
    findings = blade.advise()
    f = next(iter(findings))
    findings.close()
    with pytest.raises(ValueError):
        f.code


def test_severity_labels():
    assert [s.label for s in vmfex.Severity] == ["info", "warning", "error"]
    assert vmfex.severity_label(42) is None


def test_topology_dot_with_leased_vm(blade):
    xml = blade.attach(VM, "pp-vlan-25", vm_name="web-01", pf="enp10s0f0")
    dom = blade.parse_domain_xml(f"<domain type='kvm'><name>web-01</name><uuid>{VM}</uuid>"
                                 f"<devices>{xml}</devices></domain>")
    dot = blade.topology_dot([dom])
    assert dot.startswith("digraph")
    assert "web-01" in dot
    assert "pp-vlan-25" in dot
    assert "macvtap" in dot
    # Domains may be given as documents; one PF only; no profiles.
    dot2 = blade.topology_dot([f"<domain><name>web-01</name><devices>{xml}</devices></domain>"],
                              pf="enp10s0f0", no_profiles=True)
    assert "web-01" in dot2 and "0000:0b:00.0" not in dot2
    assert "profile pp-vlan-25" not in dot2
    blade.detach(VM)
    assert "web-01" not in blade.topology_dot()


def test_render(blade, tmp_path):
    dot = blade.topology_dot()
    with pytest.raises(OSError) as e:
        blade.render_topology(dot, tmp_path / "t.gif", format="gif")
    assert e.value.errno == errno.EINVAL
    if shutil.which("dot") is None:
        with pytest.raises(FileNotFoundError):
            blade.render_topology(dot, tmp_path / "t.svg")
        return
    out = blade.render_topology(dot, tmp_path / "t.svg")
    assert "<svg" in (tmp_path / "t.svg").read_text()
    assert out == tmp_path / "t.svg"
