# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loading libvmfex and declaring its functions for ctypes.

The library is found, in order, at the path in ``VMFEX_LIBRARY``, as
``libvmfex.so.1`` through the dynamic loader (LD_LIBRARY_PATH, the system's
directories), or through ``ctypes.util.find_library``. When it is not
found, importing the package raises an ImportError that says so.
"""

import ctypes
import ctypes.util
import os
from ctypes import (POINTER, Structure, c_bool, c_char_p, c_int, c_size_t,
                    c_uint, c_uint16, c_uint32, c_void_p)

SONAME = "libvmfex.so.1"


def _load():
    path = os.environ.get("VMFEX_LIBRARY")
    try:
        if path:
            return ctypes.CDLL(path)
        try:
            return ctypes.CDLL(SONAME)
        except OSError:
            found = ctypes.util.find_library("vmfex")
            if not found:
                raise
            return ctypes.CDLL(found)
    except OSError as e:
        # Say where the library was looked for and how to point at it.
        where = (f"VMFEX_LIBRARY={path}" if path else
                 f"{SONAME} through the dynamic loader (LD_LIBRARY_PATH="
                 f"{os.environ.get('LD_LIBRARY_PATH', '')!r}, then the system's "
                 "directories: ldconfig -p)")
        raise ImportError(
            f"vmfex: cannot load libvmfex: {e}; looked for {where}. Install libvmfex, "
            "set VMFEX_LIBRARY to the path of libvmfex.so.1, or add its directory to "
            "LD_LIBRARY_PATH", name="vmfex", path=path) from e


lib = _load()
libc = ctypes.CDLL(None)
libc.free.argtypes = [c_void_p]
libc.free.restype = None
libc.vsnprintf.argtypes = [c_char_p, c_size_t, c_char_p, c_void_p]
libc.vsnprintf.restype = c_int

# (void *data, int priority, const char *file, int line, const char *fn,
#  const char *format, va_list args): a va_list argument is passed as a
# pointer on the ABIs Linux runs on, and is handed on as is to vsnprintf.
LOG_FN = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_char_p, c_int, c_char_p,
                          c_char_p, c_void_p)


class NewOpts(Structure):
    _fields_ = [("sz", c_size_t), ("sysfs_root", c_char_p),
                ("sim_dir", c_char_p), ("ignore_env", c_int),
                ("log_fn", LOG_FN), ("log_data", c_void_p)]


class SetNumVfsOpts(Structure):
    _fields_ = [("sz", c_size_t), ("timeout_ms", c_uint), ("autoprobe", c_int)]


class PortOpts(Structure):
    _fields_ = [("sz", c_size_t), ("profile", c_char_p),
                ("instance_uuid", c_char_p), ("host_uuid", c_char_p),
                ("mac", c_char_p), ("timeout_ms", c_uint), ("no_wait", c_bool)]


class SimInjectOpts(Structure):
    _fields_ = [("sz", c_size_t), ("count", c_uint), ("response", c_int),
                ("error", c_int)]


class CatalogOpenOpts(Structure):
    _fields_ = [("sz", c_size_t), ("lock", c_bool), ("create", c_bool)]


class PortCheckOpts(Structure):
    _fields_ = [("sz", c_size_t), ("cluster", c_char_p), ("port", c_void_p),
                ("no_count", c_bool)]


class UcsmSyncOpts(Structure):
    _fields_ = [("sz", c_size_t), ("url", c_char_p), ("user", c_char_p),
                ("password", c_char_p), ("password_file", c_char_p),
                ("ca_file", c_char_p), ("insecure", c_bool), ("timeout", c_uint)]


class XmlInterfaceOpts(Structure):
    _fields_ = [("sz", c_size_t), ("mac", c_char_p), ("model", c_char_p),
                ("topology", c_int), ("no_virtualport", c_bool),
                ("allow_deprecated", c_bool), ("unmanaged", c_bool),
                ("profileid", c_char_p)]


class XmlNetworkOpts(Structure):
    _fields_ = [("sz", c_size_t), ("topology", c_int),
                ("profiles", POINTER(c_char_p)), ("default_profile", c_char_p),
                ("list_devices", c_bool)]


class ReserveOpts(Structure):
    _fields_ = [("sz", c_size_t), ("vm_uuid", c_char_p), ("vm_name", c_char_p),
                ("domains", POINTER(c_char_p)), ("confirm", c_bool)]


class AttachOpts(Structure):
    _fields_ = [("sz", c_size_t), ("vm_uuid", c_char_p), ("vm_name", c_char_p),
                ("profile", c_char_p), ("pf", c_char_p), ("topology", c_int),
                ("catalog", c_void_p), ("mac", c_char_p), ("association", c_int),
                ("domains", POINTER(c_char_p)), ("host_uuid", c_char_p),
                ("timeout_ms", c_uint)]


class AdvisorOpts(Structure):
    _fields_ = [("sz", c_size_t), ("pf", c_char_p), ("vms", c_uint),
                ("topology", c_int), ("fi_model", c_char_p)]


class TopologyDotOpts(Structure):
    _fields_ = [("sz", c_size_t), ("domains", POINTER(c_void_p)),
                ("n_domains", c_size_t), ("pf", c_char_p), ("no_profiles", c_bool)]


P = c_void_p
PP = POINTER(c_void_p)
S = c_char_p
I = c_int
U = c_uint
B = c_bool

# name: (restype, argtypes)
_PROTOS = {
    # context
    "vmfex_new": (I, [PP]),
    "vmfex_new_with_opts": (I, [POINTER(NewOpts), PP]),
    "vmfex_ref": (P, [P]),
    "vmfex_unref": (P, [P]),
    "vmfex_set_log_fn": (None, [P, LOG_FN, P]),
    "vmfex_get_log_priority": (I, [P]),
    "vmfex_set_log_priority": (None, [P, I]),
    "vmfex_set_userdata": (None, [P, P]),
    "vmfex_get_userdata": (P, [P]),
    "vmfex_get_sysfs_root": (S, [P]),
    "vmfex_get_sim_dir": (S, [P]),
    "vmfex_version": (S, []),
    # pf
    "vmfex_pf_next": (P, [P, P]),
    "vmfex_pf_new_from_ifname": (I, [P, S, PP]),
    "vmfex_pf_new_from_pci": (I, [P, S, PP]),
    "vmfex_pf_new_from_name": (I, [P, S, PP]),
    "vmfex_pf_ref": (P, [P]),
    "vmfex_pf_unref": (P, [P]),
    "vmfex_pf_get_ctx": (P, [P]),
    "vmfex_pf_refresh": (I, [P]),
    "vmfex_pf_get_pci": (S, [P]),
    "vmfex_pf_get_ifname": (S, [P]),
    "vmfex_pf_get_driver": (S, [P]),
    "vmfex_pf_get_vendor_id": (c_uint16, [P]),
    "vmfex_pf_get_device_id": (c_uint16, [P]),
    "vmfex_pf_get_subsystem_vendor_id": (c_uint16, [P]),
    "vmfex_pf_get_subsystem_device_id": (c_uint16, [P]),
    "vmfex_pf_read_vendor_name": (S, [P]),
    "vmfex_pf_read_device_name": (S, [P]),
    "vmfex_pf_read_model": (S, [P]),
    "vmfex_pf_is_vic": (B, [P]),
    "vmfex_pf_get_total_vfs": (U, [P]),
    "vmfex_pf_get_num_vfs": (U, [P]),
    "vmfex_pf_next_vf": (P, [P, P]),
    "vmfex_pf_lookup_vf": (I, [P, U, PP]),
    "vmfex_pf_set_num_vfs": (I, [P, U, POINTER(SetNumVfsOpts)]),
    # vf
    "vmfex_vf_new_from_pci": (I, [P, S, PP]),
    "vmfex_vf_new_from_ifname": (I, [P, S, PP]),
    "vmfex_vf_ref": (P, [P]),
    "vmfex_vf_unref": (P, [P]),
    "vmfex_vf_get_pf": (P, [P]),
    "vmfex_vf_get_index": (U, [P]),
    "vmfex_vf_get_pci": (S, [P]),
    "vmfex_vf_get_ifname": (S, [P]),
    "vmfex_vf_get_driver": (S, [P]),
    "vmfex_vf_get_device_id": (c_uint16, [P]),
    "vmfex_vf_bind_driver": (I, [P, S]),
    "vmfex_vf_refresh": (I, [P]),
    "vmfex_vf_set_mac": (I, [P, S]),
    "vmfex_vf_set_vlan": (I, [P, U, U, c_uint16]),
    "vmfex_vf_set_spoofchk": (I, [P, B]),
    "vmfex_vf_set_trust": (I, [P, B]),
    "vmfex_vf_set_link_state": (I, [P, I]),
    "vmfex_vf_set_rate": (I, [P, c_uint32, c_uint32]),
    # link
    "vmfex_link_new_from_ifname": (I, [P, S, PP]),
    "vmfex_link_new_from_pf": (I, [P, PP]),
    "vmfex_link_ref": (P, [P]),
    "vmfex_link_unref": (P, [P]),
    "vmfex_link_get_ifindex": (I, [P]),
    "vmfex_link_get_ifname": (S, [P]),
    "vmfex_link_get_mac": (S, [P]),
    "vmfex_link_get_num_vfs": (U, [P]),
    "vmfex_link_next_vf": (P, [P, P]),
    "vmfex_link_find_vf": (P, [P, U]),
    "vmfex_link_get_self_port": (P, [P]),
    "vmfex_link_vf_get_index": (U, [P]),
    "vmfex_link_vf_get_mac": (S, [P]),
    "vmfex_link_vf_get_vlan": (I, [P]),
    "vmfex_link_vf_get_qos": (I, [P]),
    "vmfex_link_vf_get_vlan_proto": (c_uint16, [P]),
    "vmfex_link_vf_get_spoofchk": (I, [P]),
    "vmfex_link_vf_get_trust": (I, [P]),
    "vmfex_link_vf_get_link_state": (I, [P]),
    "vmfex_link_vf_get_min_rate": (c_uint32, [P]),
    "vmfex_link_vf_get_max_rate": (c_uint32, [P]),
    "vmfex_link_vf_get_port": (P, [P]),
    "vmfex_port_state_get_profile": (S, [P]),
    "vmfex_port_state_get_instance_uuid": (S, [P]),
    "vmfex_port_state_get_host_uuid": (S, [P]),
    "vmfex_port_state_get_request": (I, [P]),
    "vmfex_port_state_get_response": (I, [P]),
    "vmfex_port_response_to_string": (S, [I]),
    "vmfex_port_request_to_string": (S, [I]),
    # port
    "vmfex_port_new_from_vf": (I, [P, PP]),
    "vmfex_port_new_self": (I, [P, S, PP]),
    "vmfex_port_ref": (P, [P]),
    "vmfex_port_unref": (P, [P]),
    "vmfex_port_get_ifname": (S, [P]),
    "vmfex_port_get_vf_index": (I, [P]),
    "vmfex_port_associate": (I, [P, POINTER(PortOpts)]),
    "vmfex_port_preassociate": (I, [P, POINTER(PortOpts)]),
    "vmfex_port_disassociate": (I, [P, POINTER(PortOpts)]),
    "vmfex_port_read_status": (I, [P, POINTER(I), POINTER(I)]),
    "vmfex_port_get_last_response": (I, [P]),
    "vmfex_port_build_request": (I, [P, I, POINTER(PortOpts), PP, POINTER(c_size_t)]),
    "vmfex_port_associate_many": (I, [PP, POINTER(POINTER(PortOpts)), c_size_t, POINTER(I)]),
    "vmfex_port_disassociate_many": (I, [PP, POINTER(PortOpts), c_size_t, POINTER(I)]),
    # sim
    "vmfex_sim_create": (I, [P, S, S]),
    "vmfex_sim_set_latency": (I, [P, U]),
    "vmfex_sim_read_latency": (I, [P, POINTER(U)]),
    "vmfex_sim_inject": (I, [P, POINTER(SimInjectOpts)]),
    # catalog
    "vmfex_catalog_new": (I, [P, PP]),
    "vmfex_catalog_open": (I, [P, S, POINTER(CatalogOpenOpts), PP]),
    "vmfex_catalog_new_from_buffer": (I, [P, S, c_size_t, PP]),
    "vmfex_catalog_ref": (P, [P]),
    "vmfex_catalog_unref": (P, [P]),
    "vmfex_catalog_get_ctx": (P, [P]),
    "vmfex_catalog_get_path": (S, [P]),
    "vmfex_catalog_write_buffer": (I, [P, PP, POINTER(c_size_t)]),
    "vmfex_catalog_save": (I, [P, S]),
    "vmfex_catalog_unlock": (None, [P]),
    "vmfex_catalog_next_cluster": (P, [P, P]),
    "vmfex_catalog_add_cluster": (I, [P, S, PP]),
    "vmfex_catalog_lookup_cluster": (I, [P, S, PP]),
    "vmfex_catalog_del_cluster": (I, [P, S]),
    "vmfex_cluster_ref": (P, [P]),
    "vmfex_cluster_unref": (P, [P]),
    "vmfex_cluster_get_name": (S, [P]),
    "vmfex_cluster_is_default": (B, [P]),
    "vmfex_catalog_next_profile": (P, [P, P]),
    "vmfex_catalog_get_n_profiles": (c_size_t, [P]),
    "vmfex_catalog_add_profile": (I, [P, S, PP]),
    "vmfex_catalog_lookup_profile": (I, [P, S, PP]),
    "vmfex_catalog_del_profile": (I, [P, S]),
    "vmfex_profile_ref": (P, [P]),
    "vmfex_profile_unref": (P, [P]),
    "vmfex_profile_get_name": (S, [P]),
    "vmfex_profile_get_descr": (S, [P]),
    "vmfex_profile_set_descr": (I, [P, S]),
    "vmfex_profile_get_qos_policy": (S, [P]),
    "vmfex_profile_set_qos_policy": (I, [P, S]),
    "vmfex_profile_get_nw_ctrl_policy": (S, [P]),
    "vmfex_profile_set_nw_ctrl_policy": (I, [P, S]),
    "vmfex_profile_get_pin_group": (S, [P]),
    "vmfex_profile_set_pin_group": (I, [P, S]),
    "vmfex_profile_get_max_ports": (U, [P]),
    "vmfex_profile_set_max_ports": (I, [P, U]),
    "vmfex_profile_get_host_nw_io_perf": (I, [P]),
    "vmfex_profile_set_host_nw_io_perf": (I, [P, I]),
    "vmfex_profile_get_type": (I, [P]),
    "vmfex_profile_set_type": (I, [P, I]),
    "vmfex_profile_get_uuid": (S, [P]),
    "vmfex_profile_get_topology": (I, [P]),
    "vmfex_profile_next_vlan": (P, [P, P]),
    "vmfex_profile_set_vlan": (I, [P, S, U, B]),
    "vmfex_profile_del_vlan": (I, [P, S]),
    "vmfex_vlan_get_name": (S, [P]),
    "vmfex_vlan_get_id": (U, [P]),
    "vmfex_vlan_is_native": (B, [P]),
    # returns a pointer into the profile, passed back as prev: kept raw
    "vmfex_profile_next_client": (P, [P, P]),
    "vmfex_profile_add_client": (I, [P, S]),
    "vmfex_profile_del_client": (I, [P, S]),
    "vmfex_host_nw_io_perf_to_string": (S, [I]),
    "vmfex_host_nw_io_perf_from_string": (I, [S]),
    "vmfex_profile_type_to_string": (S, [I]),
    "vmfex_profile_type_from_string": (I, [S]),
    "vmfex_topology_to_string": (S, [I]),
    "vmfex_catalog_import_ucsm": (I, [P, S, c_size_t]),
    "vmfex_catalog_import_ucsm_file": (I, [P, S]),
    "vmfex_catalog_check_port": (I, [P, S, POINTER(PortCheckOpts), POINTER(I)]),
    "vmfex_catalog_sync_ucsm": (I, [P, POINTER(UcsmSyncOpts)]),
    "vmfex_profile_next_ucsm_client": (P, [P, P]),
    "vmfex_ucsm_client_get_name": (S, [P]),
    "vmfex_ucsm_client_get_dc_name": (S, [P]),
    "vmfex_ucsm_client_get_org_path": (S, [P]),
    "vmfex_ucsm_client_get_sw_name": (S, [P]),
    # libvirt XML
    "vmfex_xml_interface_for_vf": (I, [P, P, POINTER(XmlInterfaceOpts), PP]),
    "vmfex_xml_interface_for_network": (I, [P, S, S, POINTER(XmlInterfaceOpts), PP]),
    "vmfex_xml_network_for_pf": (I, [P, S, P, POINTER(XmlNetworkOpts), PP]),
    "vmfex_xml_network_new_from_buffer": (I, [P, S, c_size_t, PP]),
    "vmfex_xml_network_ref": (P, [P]),
    "vmfex_xml_network_unref": (P, [P]),
    "vmfex_xml_network_get_name": (S, [P]),
    "vmfex_xml_network_get_forward_mode": (S, [P]),
    "vmfex_xml_network_get_profileid": (S, [P, S]),
    "vmfex_xml_domain_new_from_buffer": (I, [P, S, c_size_t, PP]),
    "vmfex_xml_domain_ref": (P, [P]),
    "vmfex_xml_domain_unref": (P, [P]),
    "vmfex_xml_domain_add_network": (I, [P, P]),
    "vmfex_xml_domain_get_name": (S, [P]),
    "vmfex_xml_domain_can_migrate": (B, [P, POINTER(c_char_p)]),
    "vmfex_xml_domain_next_iface": (P, [P, P]),
    "vmfex_xml_iface_get_type": (S, [P]),
    "vmfex_xml_iface_get_source_dev": (S, [P]),
    "vmfex_xml_iface_get_source_mode": (S, [P]),
    "vmfex_xml_iface_get_network": (S, [P]),
    "vmfex_xml_iface_get_portgroup": (S, [P]),
    "vmfex_xml_iface_get_pci": (S, [P]),
    "vmfex_xml_iface_get_mac": (S, [P]),
    "vmfex_xml_iface_get_model": (S, [P]),
    "vmfex_xml_iface_get_virtualport_type": (S, [P]),
    "vmfex_xml_iface_get_profileid": (S, [P]),
    "vmfex_xml_iface_get_topology": (I, [P]),
    "vmfex_vf_new_from_xml_iface": (I, [P, PP]),
    # workflow
    "vmfex_vf_reserve": (I, [P, POINTER(ReserveOpts), PP]),
    "vmfex_vf_release": (I, [P, S]),
    "vmfex_lease_reclaim_stale": (I, [P]),
    "vmfex_lease_list_new": (I, [P, PP]),
    "vmfex_lease_list_ref": (P, [P]),
    "vmfex_lease_list_unref": (P, [P]),
    "vmfex_lease_list_next": (P, [P, P]),
    "vmfex_lease_get_pf": (S, [P]),
    "vmfex_lease_get_vf_index": (U, [P]),
    "vmfex_lease_get_vm_uuid": (S, [P]),
    "vmfex_lease_get_vm_name": (S, [P]),
    "vmfex_lease_get_pid": (I, [P]),
    "vmfex_lease_is_confirmed": (B, [P]),
    "vmfex_lease_is_stale": (B, [P]),
    "vmfex_attach": (I, [P, POINTER(AttachOpts), PP]),
    "vmfex_attach_many": (I, [P, POINTER(POINTER(AttachOpts)), c_size_t, PP, POINTER(I)]),
    "vmfex_attach_migration_finish": (I, [P, S]),
    "vmfex_attach_migration_begin": (I, [P, S]),
    "vmfex_detach": (I, [P, S]),
    # advisor
    "vmfex_advisor_check": (I, [P, POINTER(AdvisorOpts), PP]),
    "vmfex_findings_ref": (P, [P]),
    "vmfex_findings_unref": (P, [P]),
    "vmfex_findings_get_count": (c_size_t, [P]),
    "vmfex_findings_get_max_severity": (I, [P]),
    "vmfex_findings_next": (P, [P, P]),
    "vmfex_finding_get_severity": (I, [P]),
    "vmfex_finding_get_code": (S, [P]),
    "vmfex_finding_get_subject": (S, [P]),
    "vmfex_finding_get_reason": (S, [P]),
    "vmfex_finding_get_action": (S, [P]),
    "vmfex_severity_to_string": (S, [I]),
    "vmfex_topology_write_dot": (I, [P, POINTER(TopologyDotOpts), PP, POINTER(c_size_t)]),
}


class _Functions:
    """The library's functions with their prototypes; a function the loaded
    library lacks (an older build) raises AttributeError when used."""

    def __getattr__(self, name):
        fn = getattr(lib, name)
        restype, argtypes = _PROTOS[name]
        fn.restype = restype
        fn.argtypes = argtypes
        setattr(self, name, fn)
        return fn


fn = _Functions()
