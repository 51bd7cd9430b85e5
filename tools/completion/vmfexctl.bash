# bash completion for vmfexctl(8)                          -*- shell-script -*-
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Commands, subcommands and options as in vmfexctl(8); PFs are completed
# from the host (or the simulated host of --sim / VMFEX_SIM) with
# "vmfexctl -j show". tests/cli checks that every command is offered.

_vmfexctl_subcommands()
{
    case $1 in
        pf) echo "set-num-vfs" ;;
        vf) echo "show set bind unbind reserve release leases" ;;
        port) echo "associate preassociate disassociate status" ;;
        xml) echo "interface network network-interface metadata" ;;
        domain) echo "inspect" ;;
        profile) echo "list show add set del import-ucsm sync-ucsm" ;;
        cluster) echo "list add del" ;;
        sim) echo "create set inject" ;;
        libvirt-hook) echo "install uninstall" ;;
    esac
}

_vmfexctl_options()
{
    case "$1 $2" in
        "pf set-num-vfs") echo "--timeout --autoprobe" ;;
        "vf set") echo "--mac --vlan --qos --proto --spoofchk --trust --link-state --min-rate --max-rate" ;;
        "port associate" | "port preassociate")
            echo "--profile --instance-uuid --host-uuid --mac --self --dry-run --wait --timeout" ;;
        "port disassociate" | "port status")
            echo "--self --dry-run --wait --timeout --host-uuid --mac" ;;
        "xml interface")
            echo "--profile --topology --mac --model --no-virtualport --allow-deprecated --unmanaged --catalog" ;;
        "xml network")
            echo "--name --topology --profile --default-profile --list-devices --no-profiles --catalog --no-virtualport" ;;
        "xml network-interface") echo "--mac --model" ;;
        "domain inspect") echo "--network" ;;
        "profile add" | "profile set")
            echo "--descr --vlan --del-vlan --qos-policy --nw-ctrl-policy --pin-group --max-ports --host-nw-io-perf --type --client --del-client" ;;
        "profile sync-ucsm") echo "--user --password-file --ca-file --insecure --timeout" ;;
        "attach ")
            echo "--vm-uuid --vm-name --profile --pf --topology --mac --by-libvirt --preassociate --migration-finish --domain --from" ;;
        "detach ") echo "--vm-uuid" ;;
        "vf reserve") echo "--vm-uuid --vm-name" ;;
        "vf release") echo "--vm-uuid" ;;
        "vf leases") echo "--reclaim-stale" ;;
        "check ") echo "--vms --topology --fi-model --pf" ;;
        "topology ") echo "--format --output --domain --pf --no-profiles" ;;
        "sim set") echo "--latency-ms" ;;
        "sim inject") echo "--response --errno --count" ;;
        "libvirt-hook install") echo "--hooks-dir --hook" ;;
        "libvirt-hook uninstall") echo "--hooks-dir" ;;
        "libvirt-watch ") echo "--uri" ;;
    esac
}

# The PFs of the host vmfexctl would look at, by netdev and PCI address.
_vmfexctl_pfs()
{
    local -a pre=("$@")
    "${pre[@]}" -j show 2>/dev/null |
        sed -n 's/^ \{6\}"\(pci\|ifname\)": "\([^"]*\)".*/\2/p'
}

_vmfexctl()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        # PCI addresses hold colons: keep them in the word completed.
        _init_completion -n : || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local global_opts="--sysfs-root --sim --catalog -j --json -v --verbose -h --help --version"
    local commands="show pf vf port xml domain profile cluster attach detach check topology libvirt-hook libvirt-watch sim"

    # Global options and their values, up to the command.
    local -a pre=("${words[0]}")
    local i=1 cmd="" sub="" npos=0
    while ((i < cword)); do
        case ${words[i]} in
            --sim | --sysfs-root | --catalog)
                pre+=("${words[i]}" "${words[i + 1]}")
                ((i += 2))
                continue
                ;;
            -*)
                ((i++))
                continue
                ;;
        esac
        break
    done
    if ((i < cword)); then
        cmd=${words[i]}
        ((i++))
        if [[ -n $(_vmfexctl_subcommands "$cmd") ]] && ((i < cword)); then
            sub=${words[i]}
            ((i++))
        fi
        for ((; i < cword; i++)); do
            [[ ${words[i]} != -* && ${words[i - 1]} != --@(profile|instance-uuid|host-uuid|mac|timeout|autoprobe|vlan|qos|proto|spoofchk|trust|link-state|min-rate|max-rate|topology|model|catalog|name|default-profile|network|descr|vms|fi-model|vm-uuid|vm-name|pf|format|output|domain|del-vlan|qos-policy|nw-ctrl-policy|pin-group|max-ports|host-nw-io-perf|type|client|del-client|user|password-file|ca-file|latency-ms|response|errno|count|from) ]] && ((npos++))
        done
    fi

    # Values of options.
    case $prev in
        --sim | --sysfs-root)
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        --catalog | --network | --output | --domain | --from)
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W "dot svg png" -- "$cur"))
            return
            ;;
        --pf)
            COMPREPLY=($(compgen -W "$(_vmfexctl_pfs "${pre[@]}")" -- "$cur"))
            return
            ;;
        --autoprobe | --spoofchk | --trust)
            COMPREPLY=($(compgen -W "on off" -- "$cur"))
            return
            ;;
        --proto)
            COMPREPLY=($(compgen -W "802.1Q 802.1ad" -- "$cur"))
            return
            ;;
        --link-state)
            COMPREPLY=($(compgen -W "auto enable disable" -- "$cur"))
            return
            ;;
        --topology)
            COMPREPLY=($(compgen -W "passthrough hostdev private" -- "$cur"))
            return
            ;;
        --host-nw-io-perf)
            COMPREPLY=($(compgen -W "none high-perf-reqd" -- "$cur"))
            return
            ;;
        --type)
            COMPREPLY=($(compgen -W "regular sla-only" -- "$cur"))
            return
            ;;
        --response)
            COMPREPLY=($(compgen -W "SUCCESS INPROGRESS INVALID BADSTATE INSUFFICIENT_RESOURCES ERROR" -- "$cur"))
            return
            ;;
        --errno)
            COMPREPLY=($(compgen -W "EIO EBUSY ENODEV ETIMEDOUT EINVAL ENOMEM" -- "$cur"))
            return
            ;;
        --profile | --instance-uuid | --host-uuid | --mac | --timeout | --vlan | --qos | \
            --min-rate | --max-rate | --model | --name | --default-profile | --descr | \
            --del-vlan | --qos-policy | --nw-ctrl-policy | --pin-group | --max-ports | \
            --client | --del-client | --latency-ms | --count | --vms | --fi-model | \
            --vm-uuid | --vm-name | --user)
            return
            ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    local subs
    subs=$(_vmfexctl_subcommands "$cmd")
    if [[ -n $subs && -z $sub ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        fi
        return
    fi

    # Every command and subcommand takes --help.
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_vmfexctl_options "$cmd" "$sub") --help" -- "$cur"))
        return
    fi

    # Positional arguments; a PCI address was completed whole (see above).
    case "$cmd $sub" in
        "vf bind")
            if ((npos == 0)); then
                COMPREPLY=($(compgen -W "$(_vmfexctl_pfs "${pre[@]}")" -- "$cur"))
            elif ((npos >= 2)); then
                COMPREPLY=($(compgen -W "vfio-pci enic ixgbevf" -- "$cur"))
            fi
            ;;
        "show " | "pf set-num-vfs" | "vf show" | "xml network" | "vf "* | "port "* | "xml interface")
            ((npos == 0)) && COMPREPLY=($(compgen -W "$(_vmfexctl_pfs "${pre[@]}")" -- "$cur"))
            ;;
        "sim create")
            if ((npos == 0)); then
                COMPREPLY=($(compgen -d -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
        "profile import-ucsm" | "domain inspect")
            COMPREPLY=($(compgen -f -- "$cur"))
            ;;
    esac
    if declare -F __ltrim_colon_completions >/dev/null 2>&1; then
        __ltrim_colon_completions "$cur"
    fi
} && complete -F _vmfexctl vmfexctl

# ex: filetype=sh
