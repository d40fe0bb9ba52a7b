/*
 * y[M] += A·x[N], written independently of simlab's generators: a register block of RB rows × CU column
 * partial sums, an optional column panel of CB columns (x reused from cache), and two layouts of A.
 *
 *   LAYOUT=0: A row-major, A[i][j] at A[i*N + j]: RB dot products at once, CU partial sums each.
 *   LAYOUT=1: A column-major, A[i][j] at A[j*M + i]: axpy style, CU columns at once, RB rows unrolled.
 *
 * Knobs (-D): M N (shape); RB ∈ divisors of M; CU ∈ divisors of N; CB = 0 (no panel) or a panel width
 * (divisible by CU; the last panel may be shorter); LAYOUT 0 or 1.
 * Protocol: `prog sim` runs the kernel once; `prog time REPS WARMUP` times each run; both print a checksum.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if M % RB != 0 || N % CU != 0 || (CB > 0 && CB % CU != 0)
#error "RB must divide M, CU must divide N and CB"
#endif
#define PANEL (CB > 0 ? CB : N)

static float *A, *x, *y;

__attribute__((noinline, noclone)) void kernel(void) {
  for (int j0 = 0; j0 < N; j0 += PANEL) {
    const int j1 = j0 + PANEL < N ? j0 + PANEL : N;
#if LAYOUT == 0
    const float *row = A + j0;
    for (int i = 0; i < M; i += RB, row += (long)RB * N) {
      float s[RB][CU];
#pragma GCC unroll 32
      for (int r = 0; r < RB; r++)
#pragma GCC unroll 32
        for (int u = 0; u < CU; u++) s[r][u] = 0.0f;
      const float *a = row, *xv = x + j0;
      for (int j = j0; j < j1; j += CU, a += CU, xv += CU) {
#pragma GCC unroll 32
        for (int r = 0; r < RB; r++)
#pragma GCC unroll 32
          for (int u = 0; u < CU; u++) s[r][u] += a[(long)r * N + u] * xv[u];
      }
#pragma GCC unroll 32
      for (int r = 0; r < RB; r++) {
        float t = 0.0f;
#pragma GCC unroll 32
        for (int u = 0; u < CU; u++) t += s[r][u];
        y[i + r] += t;
      }
    }
#else
    for (int j = j0; j < j1; j += CU) {
      const float *col = A + (long)j * M;
      float xs[CU];
#pragma GCC unroll 32
      for (int u = 0; u < CU; u++) xs[u] = x[j + u];
      float *yv = y;
      for (int i = 0; i < M; i += RB, yv += RB, col += RB) {
#pragma GCC unroll 32
        for (int r = 0; r < RB; r++) {
          float t = yv[r];
#pragma GCC unroll 32
          for (int u = 0; u < CU; u++) t += col[(long)u * M + r] * xs[u];
          yv[r] = t;
        }
      }
    }
#endif
  }
}

static float *alloc(long n) {
  float *a = malloc(sizeof(float) * n);
  if (!a) { perror("malloc"); exit(1); }
  return a;
}

/* small integers stored as floats: every partial sum is exact, so every schedule gives identical output */
static void init(void) {
  A = alloc((long)M * N);
  x = alloc(N);
  y = alloc(M);
  for (long i = 0; i < M; i++)
    for (long j = 0; j < N; j++) A[LAYOUT == 0 ? i * N + j : j * M + i] = (float)((i * 3 + j * 5 + (i ^ j)) % 5 - 2);
  for (long j = 0; j < N; j++) x[j] = (float)((j * 7) % 5 - 2);
}

static void reset(void) { memset(y, 0, sizeof(float) * M); }

static unsigned long long checksum(void) {
  unsigned long long h = 1469598103934665603ULL;
  for (long i = 0; i < M; i++) h = (h ^ (unsigned long long)(long long)y[i]) * 1099511628211ULL;
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
