/* Minimal assertion helpers for the C unit tests: each test is one ctest executable.
 * CS_CHECK records a failure and continues; cs_test_done() returns the exit status. */
#ifndef CS_TEST_H
#define CS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cs_test_failures;
static int cs_test_checks;

#define CS_CHECK(cond)                                                                    \
    do {                                                                                  \
        cs_test_checks++;                                                                 \
        if (!(cond)) {                                                                    \
            cs_test_failures++;                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                                 \
    } while (0)

#define CS_CHECK_MSG(cond, ...)                                                           \
    do {                                                                                  \
        cs_test_checks++;                                                                 \
        if (!(cond)) {                                                                    \
            cs_test_failures++;                                                           \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);      \
            fprintf(stderr, __VA_ARGS__);                                                 \
            fputc('\n', stderr);                                                          \
        }                                                                                 \
    } while (0)

#define CS_CHECK_NEAR(a, b, tol)                                                          \
    CS_CHECK_MSG(fabs((double)(a) - (double)(b)) <= (tol), "%s = %.9g, %s = %.9g, tol %g", \
                 #a, (double)(a), #b, (double)(b), (double)(tol))

/* Exit code 77 tells ctest the test was skipped (SKIP_RETURN_CODE). */
#define CS_SKIP(...)                                                                      \
    do {                                                                                  \
        printf("SKIP: ");                                                                 \
        printf(__VA_ARGS__);                                                              \
        putchar('\n');                                                                    \
        exit(77);                                                                         \
    } while (0)

static inline int cs_test_done(void)
{
    printf("%d checks, %d failed\n", cs_test_checks, cs_test_failures);
    return cs_test_failures ? 1 : 0;
}

#endif
