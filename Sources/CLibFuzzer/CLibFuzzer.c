// Declarations only: libFuzzer itself comes from the toolchain's runtime when linking with -sanitize=fuzzer.
#include "CLibFuzzer.h"
