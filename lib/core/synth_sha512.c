/* SHA-512 of a file for the `core:streams` hashes of a SigMF collection (libcrypto). */
#include <stdio.h>

#include "cellscan/status.h"
#include "synth_output.h"

#ifdef CS_HAVE_CRYPTO
#include <openssl/evp.h>

int synth_sha512_file(const char *path, char hex[129])
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return cs_error(CS_EIO, "cannot read %s", path);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) == 1;
    unsigned char buf[65536], md[64];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, fp)) > 0) ok = EVP_DigestUpdate(ctx, buf, n) == 1;
    unsigned len = 0;
    ok = ok && !ferror(fp) && EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == 64;
    EVP_MD_CTX_free(ctx);
    fclose(fp);
    if (!ok) return cs_error(CS_EIO, "cannot hash %s", path);
    for (int i = 0; i < 64; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return CS_OK;
}

#else

int synth_sha512_file(const char *path, char hex[129])
{
    hex[0] = '\0';
    return cs_error(CS_ENOTSUP, "%s: built without libcrypto: no SHA-512", path);
}

#endif
