/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file libvmfex.h
 * @brief Umbrella header: include this one.
 *
 * libvmfex gives a Linux KVM host what Cisco VM-FEX needs: SR-IOV PF and VF
 * control through sysfs, 802.1Qbh port-profile operations, the UCS Manager
 * model and libvirt XML. Every fallible call returns 0 (or a count) on success
 * and a negative errno on failure, after logging why through the context's
 * log function.
 *
 * Any public call may be made inside any walk of the library, another walk
 * included (each header says so; pf.h explains the PF and VF walks).
 * Threads: see context.h.
 */
#ifndef LIBVMFEX_H
#define LIBVMFEX_H

#include <libvmfex/context.h>
#include <libvmfex/pf.h>
#include <libvmfex/vf.h>
#include <libvmfex/vf-config.h>
#include <libvmfex/link.h>
#include <libvmfex/port.h>
#include <libvmfex/sim.h>
#include <libvmfex/catalog.h>
#include <libvmfex/libvirt.h>
#include <libvmfex/workflow.h>
#include <libvmfex/advisor.h>

#endif
