module libvmfex/examples

go 1.19

require libvmfex/vmfex v0.0.0

replace libvmfex/vmfex => ../../bindings/go
