module libvmfex/vmfex

go 1.19
