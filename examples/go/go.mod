module libvmfex/examples

go 1.19

require github.com/libvmfex/libvmfex/bindings/go v1.0.0

// The binding of this tree, not a published version.
replace github.com/libvmfex/libvmfex/bindings/go => ../../bindings/go
