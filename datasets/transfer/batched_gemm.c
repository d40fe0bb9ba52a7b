/*
 * A batch of small GEMMs, C_b[m×n] += A_b[m×k]·B_b[k×n] for b < BATCH (row-major, matrices packed one after
 * another), written independently of simlab's generators: an MR × NR register block of C, a k loop unrolled
 * KU times with separate partial products, and two micro-kernel styles.
 *
 *   ORDER=0 (dot): for each MR×NR block of C, reduce over k into MR·NR register accumulators.
 *   ORDER=1 (axpy): for each MR rows and each k, add A[i][k]·B[k][NR-block] to C rows held in memory.
 *
 * Knobs (-D): BATCH MM NN KK (shape); MR ∈ divisors of MM, NR ∈ divisors of NN, KU ∈ divisors of KK; ORDER.
 * Protocol: `prog sim` runs the kernel once; `prog time REPS WARMUP` times each run; both print a checksum.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if MM % MR != 0 || NN % NR != 0 || KK % KU != 0
#error "MR must divide MM, NR must divide NN and KU must divide KK"
#endif

static float *A, *B, *C;

__attribute__((noinline, noclone)) void kernel(void) {
  const float *a = A, *b = B;
  float *c = C;
  for (int batch = 0; batch < BATCH; batch++, a += MM * KK, b += KK * NN, c += MM * NN) {
    for (int i = 0; i < MM; i += MR) {
      for (int j = 0; j < NN; j += NR) {
#if ORDER == 0
        float acc[KU][MR][NR];
#pragma GCC unroll 64
        for (int t = 0; t < KU; t++)
#pragma GCC unroll 64
          for (int r = 0; r < MR; r++)
#pragma GCC unroll 64
            for (int u = 0; u < NR; u++) acc[t][r][u] = 0.0f;
        for (int k = 0; k < KK; k += KU) {
#pragma GCC unroll 64
          for (int t = 0; t < KU; t++)
#pragma GCC unroll 64
            for (int r = 0; r < MR; r++)
#pragma GCC unroll 64
              for (int u = 0; u < NR; u++) acc[t][r][u] += a[(i + r) * KK + k + t] * b[(k + t) * NN + j + u];
        }
#pragma GCC unroll 64
        for (int r = 0; r < MR; r++)
#pragma GCC unroll 64
          for (int u = 0; u < NR; u++) {
            float s = c[(i + r) * NN + j + u];
#pragma GCC unroll 64
            for (int t = 0; t < KU; t++) s += acc[t][r][u];
            c[(i + r) * NN + j + u] = s;
          }
#else
        for (int k = 0; k < KK; k += KU) {
#pragma GCC unroll 64
          for (int r = 0; r < MR; r++) {
            float *crow = c + (i + r) * NN + j;
#pragma GCC unroll 64
            for (int u = 0; u < NR; u++) {
              float s = 0.0f;
#pragma GCC unroll 64
              for (int t = 0; t < KU; t++) s += a[(i + r) * KK + k + t] * b[(k + t) * NN + j + u];
              crow[u] += s;
            }
          }
        }
#endif
      }
    }
  }
}

static float *alloc(long n) {
  float *p = malloc(sizeof(float) * n);
  if (!p) { perror("malloc"); exit(1); }
  return p;
}

/* small integers stored as floats: every partial sum is exact, so every schedule gives identical output */
static void init(void) {
  A = alloc((long)BATCH * MM * KK);
  B = alloc((long)BATCH * KK * NN);
  C = alloc((long)BATCH * MM * NN);
  for (long i = 0; i < (long)BATCH * MM * KK; i++) A[i] = (float)((i * 3 + i / 13) % 5 - 2);
  for (long i = 0; i < (long)BATCH * KK * NN; i++) B[i] = (float)((i * 7 + i / 17) % 5 - 2);
}

static void reset(void) { memset(C, 0, sizeof(float) * (long)BATCH * MM * NN); }

static unsigned long long checksum(void) {
  unsigned long long h = 1469598103934665603ULL;
  for (long i = 0; i < (long)BATCH * MM * NN; i++) h = (h ^ (unsigned long long)(long long)C[i]) * 1099511628211ULL;
  return h;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "sim";
  init();
  if (strcmp(mode, "time") == 0) {
    int reps = argc > 2 ? atoi(argv[2]) : 7, warmup = argc > 3 ? atoi(argv[3]) : 1;
    for (int w = 0; w < warmup; w++) { reset(); kernel(); }
    for (int i = 0; i < reps; i++) {
      reset();
      double t0 = now();
      kernel();
      printf("rep %.9e\n", now() - t0);
    }
  } else if (strcmp(mode, "sim") == 0) {
    reset();
    kernel();
  } else {
    fprintf(stderr, "usage: %s sim | time REPS WARMUP\n", argv[0]);
    return 2;
  }
  printf("checksum %016llx\n", checksum());
  return 0;
}
