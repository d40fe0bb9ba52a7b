/**
 * A complete `cfile` program (the output protocol of src/workloads/README.md): `code` defines the knobs, `kernel()`,
 * the double `acc` it leaves its result in, and `init()` filling the inputs; `main` runs the kernel once, or times it
 * (`time REPS [WARM]`), and prints the checksum.
 */
export function cfileProgram(code: string): string {
  return `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
${code}
int main(int argc, char **argv) {
  init();
  if (argc > 2 && strcmp(argv[1], "time") == 0) {
    int reps = atoi(argv[2]), warm = argc > 3 ? atoi(argv[3]) : 1;
    for (int w = 0; w < warm; w++) kernel();
    for (int r = 0; r < reps; r++) {
      struct timespec t0, t1;
      clock_gettime(CLOCK_MONOTONIC, &t0);
      kernel();
      clock_gettime(CLOCK_MONOTONIC, &t1);
      printf("rep %.9f\\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9);
    }
  } else kernel();
  printf("checksum %.1f\\n", acc);
  return 0;
}
`;
}
