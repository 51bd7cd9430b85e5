module github.com/libvmfex/libvmfex/bindings/go

go 1.19
