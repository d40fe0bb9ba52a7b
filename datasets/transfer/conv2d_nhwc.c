/*
 * conv2d in NHWC layout (batch 1), stride 1, no padding, written independently of simlab's generators:
 * pointer-increment loops and a register block of KB output channels × QB output columns.
 *
 *   in[H][W][C], filt[R][S][C][K], out[P][Q][K] with P = H-R+1, Q = W-S+1
 *
 * Knobs (-D): C H W K R S (shape); KB ∈ divisors of K (output channels per block), QB ∈ divisors of Q
 * (output columns per block), RED = 0 (reduce r, s, then c innermost) or 1 (c outermost, then r, s),
 * ACC = 1 (accumulate the block in local registers, store once) or 0 (accumulate in out[] in memory).
 * Protocol: `prog sim` runs the kernel once; `prog time REPS WARMUP` times each run; both print a checksum.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define P (H - R + 1)
#define Q (W - S + 1)
#if K % KB != 0 || Q % QB != 0
#error "KB must divide K and QB must divide Q"
#endif

static float *in, *filt, *out;

__attribute__((noinline, noclone)) void kernel(void) {
  for (int p = 0; p < P; p++) {
    float *orow = out + (long)p * Q * K;
    for (int q0 = 0; q0 < Q; q0 += QB) {
      for (int k0 = 0; k0 < K; k0 += KB) {
        float *o = orow + (long)q0 * K + k0;
#if ACC
        float acc[QB][KB];
#pragma GCC unroll 16
        for (int u = 0; u < QB; u++)
#pragma GCC unroll 16
          for (int v = 0; v < KB; v++) acc[u][v] = 0.0f;
#define TARGET(u, v) acc[u][v]
#else
#define TARGET(u, v) o[(long)(u) * K + (v)]
#endif
#if RED == 0
        for (int r = 0; r < R; r++) {
          for (int s = 0; s < S; s++) {
            const float *x = in + ((long)(p + r) * W + q0 + s) * C;
            const float *f = filt + ((long)r * S + s) * C * K + k0;
            for (int c = 0; c < C; c++, x++, f += K) {
#else
        for (int c = 0; c < C; c++) {
          for (int r = 0; r < R; r++) {
            const float *x = in + ((long)(p + r) * W + q0) * C + c;
            const float *f = filt + ((long)r * S * C + c) * K + k0;
            for (int s = 0; s < S; s++, x += C, f += (long)C * K) {
#endif
#pragma GCC unroll 16
              for (int u = 0; u < QB; u++) {
                const float xv = x[(long)u * C];
#pragma GCC unroll 16
                for (int v = 0; v < KB; v++) TARGET(u, v) += xv * f[v];
              }
            }
          }
        }
#if ACC
#pragma GCC unroll 16
        for (int u = 0; u < QB; u++)
#pragma GCC unroll 16
          for (int v = 0; v < KB; v++) o[(long)u * K + v] = acc[u][v];
#endif
      }
    }
  }
}

static float *alloc(long n) {
  float *a = malloc(sizeof(float) * n);
  if (!a) { perror("malloc"); exit(1); }
  return a;
}

/* small integers stored as floats: every partial sum is exact, so every schedule gives identical output */
static void init(void) {
  in = alloc((long)H * W * C);
  filt = alloc((long)R * S * C * K);
  out = alloc((long)P * Q * K);
  for (long i = 0; i < (long)H * W * C; i++) in[i] = (float)((i * 5 + i / 7) % 5 - 2);
  for (long i = 0; i < (long)R * S * C * K; i++) filt[i] = (float)((i * 3 + i / 11) % 5 - 2);
}

static void reset(void) { memset(out, 0, sizeof(float) * (long)P * Q * K); }

static unsigned long long checksum(void) {
  unsigned long long h = 1469598103934665603ULL;
  for (long i = 0; i < (long)P * Q * K; i++) h = (h ^ (unsigned long long)(long long)out[i]) * 1099511628211ULL;
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
