# SPDX-License-Identifier: LGPL-2.1-or-later
# Rules applied to every transcript before it is compared with
# expected.txt: what may differ from one run, or one host, to another.
#
# None so far. The simulated host mirrors the guest exactly (addresses,
# ids, counts, errno values, driver links, the library's messages), and
# the scenario prints nothing that varies between runs: no IOMMU group
# numbers (only whether a group exists), no kernel version, no times, no
# sysfs root. A rule added here hides a difference from the test, so add
# one only for a value that must differ, and say which.
