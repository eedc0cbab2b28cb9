#ifndef HANDSET_COPENSSL_SHIM_H
#define HANDSET_COPENSSL_SHIM_H
#include <openssl/bn.h>
#endif
