/* simlab's QEMU TCG plugin (plugin API version 1, as in QEMU 7.2).
 * Debian ships no qemu-plugin.h, so the few API declarations used are written here.
 * Args: lo=,hi= (kernel function [lo,hi) as in the file), text= (the file's lowest executable segment address,
 *       to relocate lo/hi of a position-independent binary), out= (stats file), cache=0|1, isa=x86_64|aarch64|riscv64,
 *       counts= (optional file: how often each kernel instruction ran, "<file address> <count>" lines, for mca),
 *       i1=,d1=,ll= as size:assoc:line (commas separate plugin args). Output: key=value lines, cachegrind event names. */
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu, void *udata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *udata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn); /* 7.2: a pointer to the insn's bytes */
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *udata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *udata);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw, void *udata);
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);
unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t info);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *udata);
uint64_t qemu_plugin_start_code(void); /* the main binary's lowest executable segment as loaded (user mode) */

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* Set-associative LRU cache: each set holds tags most-recent first. */
typedef struct { uint64_t sets, set_mask, assoc, line_shift; uint64_t *tags; } Cache;

static int cache_init(Cache *c, const char *spec) {
    unsigned long size, assoc, line;
    if (!spec || sscanf(spec, "%lu:%lu:%lu", &size, &assoc, &line) != 3 || !size || !assoc || !line) return -1;
    c->assoc = assoc; c->sets = size / (assoc * line); c->line_shift = 0;
    while ((1UL << c->line_shift) < line) c->line_shift++;
    if (!c->sets) return -1;
    /* A mask instead of a division when the set count allows (it always does on real caches). */
    c->set_mask = (c->sets & (c->sets - 1)) == 0 ? c->sets - 1 : 0;
    c->tags = calloc(c->sets * assoc, sizeof(uint64_t)); /* 0 = empty; stored tags are line+1 */
    return c->tags ? 0 : -1;
}

/* Returns true on a miss for one line number. The scan shifts the tags it passes one place down, so a hit
 * at way w or a miss leaves the set in LRU order with the line in front, in one pass. */
static inline bool cache_line(Cache *c, uint64_t lineno) {
    uint64_t index = c->set_mask || c->sets == 1 ? lineno & c->set_mask : lineno % c->sets;
    uint64_t *set = c->tags + index * c->assoc, tag = lineno + 1;
    if (set[0] == tag) return false;
    uint64_t previous = set[0];
    for (uint64_t w = 1; w < c->assoc; w++) {
        uint64_t current = set[w];
        set[w] = previous;
        if (current == tag) { set[0] = tag; return false; }
        previous = current;
    }
    set[0] = tag;
    return true;
}

enum { IR, DR, DW, BC, I1MR, D1MR, D1MW, ILMR, DLMR, DLMW, NEV };
static const char *names[NEV] = { "Ir", "Dr", "Dw", "Bc", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw" };
static uint64_t counts[2][NEV]; /* [0] total, [1] kernel */
static uint64_t lo, hi, file_text;
static bool relocated;
static uint64_t bias;
static int use_cache = 1;
static char *out_path;
static Cache i1, d1, ll;

static void count(int kernel, int ev) { counts[0][ev]++; if (kernel) counts[1][ev]++; }

/* An access touches every line it overlaps (cachegrind splits straddling accesses the same way) and counts one
 * miss per level if any of its lines missed; first-level misses go on to LL. */
static void cache_lines(Cache *l1, int kernel, uint64_t first, uint64_t last, int l1ev, int llev) {
    int miss1 = 0, missll = 0;
    for (uint64_t l = first; l <= last; l++) {
        if (cache_line(l1, l)) {
            miss1 = 1;
            uint64_t a = l << l1->line_shift;
            if (cache_line(&ll, a >> ll.line_shift)) missll = 1;
        }
    }
    if (miss1) count(kernel, l1ev);
    if (missll) count(kernel, llev);
}

static void cache_access(Cache *l1, int kernel, uint64_t addr, uint64_t size, int l1ev, int llev) {
    cache_lines(l1, kernel, addr >> l1->line_shift, (addr + (size ? size - 1 : 0)) >> l1->line_shift, l1ev, llev);
}

/* Conditional branches end a TB in all three front ends, so only a TB's last instruction is classified. */
enum isa { X86_64, AARCH64, RISCV64 };
static enum isa isa = X86_64;

static bool x86_is_cond_branch(const uint8_t *b, size_t n) {
    size_t i = 0;
    /* Legacy prefixes (operand/address size, segment, branch hints, rep) and REX. */
    while (i < n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xF2 || b[i] == 0xF3 || b[i] == 0x2E || b[i] == 0x3E ||
                     b[i] == 0x26 || b[i] == 0x36 || b[i] == 0x64 || b[i] == 0x65 || (b[i] & 0xF0) == 0x40)) i++;
    if (i >= n) return false;
    if (b[i] >= 0x70 && b[i] <= 0x7F) return true;          /* Jcc rel8 */
    if (b[i] >= 0xE0 && b[i] <= 0xE3) return true;          /* LOOPNE, LOOPE, LOOP, JrCXZ */
    return b[i] == 0x0F && i + 1 < n && b[i + 1] >= 0x80 && b[i + 1] <= 0x8F; /* Jcc rel32 */
}

static bool aarch64_is_cond_branch(uint32_t w) {
    return (w & 0xFF000010u) == 0x54000000u   /* B.cond */
        || (w & 0x7E000000u) == 0x34000000u   /* CBZ, CBNZ */
        || (w & 0x7E000000u) == 0x36000000u;  /* TBZ, TBNZ */
}

static bool riscv_is_cond_branch(const uint8_t *b, size_t n) {
    if (n == 2) {
        uint16_t h = (uint16_t)(b[0] | b[1] << 8);
        return (h & 0xE003) == 0xC001 || (h & 0xE003) == 0xE001; /* C.BEQZ, C.BNEZ */
    }
    if (n != 4) return false;
    uint32_t funct3 = (b[1] >> 4) & 7;
    return (b[0] & 0x7F) == 0x63 && funct3 != 2 && funct3 != 3; /* BEQ BNE BLT BGE BLTU BGEU */
}

static bool is_cond_branch(struct qemu_plugin_insn *insn) {
    const uint8_t *b = qemu_plugin_insn_data(insn);
    size_t n = qemu_plugin_insn_size(insn);
    if (!b) return false;
    switch (isa) {
    case X86_64: return x86_is_cond_branch(b, n);
    case AARCH64: return n == 4 && aarch64_is_cond_branch((uint32_t)b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24);
    case RISCV64: return riscv_is_cond_branch(b, n);
    }
    return false;
}

/* The instruction fetches of one TB, run as one callback per TB execution instead of one per instruction.
 * A fetch from the line the previous instruction ended in is a hit that leaves the LRU order as it is, so
 * only instructions reaching a new line are kept: the same misses as one access per instruction, far fewer
 * calls. */
typedef struct { uint64_t first, last; int kernel; } Fetch;
typedef struct { size_t n; Fetch fetch[]; } TbFetches;

static void on_tb_exec(unsigned int vcpu, void *udata) {
    TbFetches *t = udata; (void)vcpu;
    for (size_t i = 0; i < t->n; i++) cache_lines(&i1, t->fetch[i].kernel, t->fetch[i].first, t->fetch[i].last, I1MR, ILMR);
}

/* udata of a memory callback is just the kernel flag. */
static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata) {
    int kernel = udata != NULL; (void)vcpu;
    bool store = qemu_plugin_mem_is_store(info);
    count(kernel, store ? DW : DR);
    if (use_cache) cache_access(&d1, kernel, vaddr, 1u << qemu_plugin_mem_size_shift(info),
                                store ? D1MW : D1MR, store ? DLMW : DLMR);
}

static void *const KERNEL = (void *)1;

/* With counts=: every translated TB that holds kernel code, its executions (an inline counter) and the
 * addresses of its kernel instructions. A TB translated twice is two records; the reader sums them. */
typedef struct KernelTb { uint64_t executions; size_t n; struct KernelTb *next; uint64_t addrs[]; } KernelTb;
static KernelTb *kernel_tbs;
static char *counts_path;

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    (void)id;
    if (!relocated) {
        /* A PIE is loaded at a base qemu chooses; its text segment's shift is that base (0 for a static binary).
         * (qemu_plugin_entry_code is ld.so's entry for a dynamic binary, so it cannot serve.) Asked at the first
         * translation: the binary is loaded by then, and a vCPU is current. */
        bias = file_text ? qemu_plugin_start_code() - file_text : 0;
        lo += bias; hi += bias; relocated = true;
    }
    size_t n = qemu_plugin_tb_n_insns(tb), in_kernel = 0;
    /* Lives as long as the translation may be executed. */
    TbFetches *fetches = use_cache ? malloc(sizeof *fetches + n * sizeof(Fetch)) : NULL;
    if (fetches) fetches->n = 0;
    uint64_t previous_line = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t vaddr = qemu_plugin_insn_vaddr(insn), size = qemu_plugin_insn_size(insn);
        int kernel = vaddr >= lo && vaddr < hi;
        in_kernel += kernel;
        if (fetches) {
            uint64_t first = vaddr >> i1.line_shift, last = (vaddr + (size ? size - 1 : 0)) >> i1.line_shift;
            if (first == previous_line) first++;
            if (first <= last) fetches->fetch[fetches->n++] = (Fetch){ first, last, kernel };
            previous_line = last;
        }
        /* 7.2's R/W filter is wrong: register for all accesses, split with mem_is_store. */
        qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, kernel ? KERNEL : NULL);
        if (i == n - 1 && is_cond_branch(insn)) {
            /* Counted when the branch executes, taken or not. */
            qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &counts[0][BC], 1);
            if (kernel) qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &counts[1][BC], 1);
        }
    }
    /* One add per TB execution: user-mode TBs run whole (only a fault a guest signal handler survives cuts one). */
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &counts[0][IR], n);
    if (in_kernel) qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &counts[1][IR], in_kernel);
    if (in_kernel && counts_path) {
        /* Translation is serialised in user mode (mmap_lock), so the list needs no lock. */
        KernelTb *k = calloc(1, sizeof *k + in_kernel * sizeof(uint64_t));
        for (size_t i = 0; i < n; i++) {
            uint64_t vaddr = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, i));
            if (vaddr >= lo && vaddr < hi) k->addrs[k->n++] = vaddr - bias;
        }
        k->next = kernel_tbs; kernel_tbs = k;
        qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &k->executions, 1);
    }
    if (fetches) qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS, fetches);
}

static void write_counts(void) {
    FILE *f = counts_path ? fopen(counts_path, "w") : NULL;
    if (!f) return;
    for (KernelTb *k = kernel_tbs; k; k = k->next)
        if (k->executions)
            for (size_t i = 0; i < k->n; i++) fprintf(f, "0x%llx %llu\n", (unsigned long long)k->addrs[i], (unsigned long long)k->executions);
    fclose(f);
}

static void write_stats(qemu_plugin_id_t id, void *udata) {
    (void)id; (void)udata;
    write_counts();
    FILE *f = out_path ? fopen(out_path, "w") : NULL;
    if (!f) return;
    static const char *scopes[2] = { "total", "kernel" };
    for (int s = 0; s < 2; s++)
        for (int e = 0; e < NEV; e++) {
            if (!use_cache && e >= I1MR) continue;
            fprintf(f, "%s.%s=%llu\n", scopes[s], names[e], (unsigned long long)counts[s][e]);
        }
    fclose(f);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
    (void)info;
    const char *gi1 = NULL, *gd1 = NULL, *gll = NULL;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (!strncmp(a, "lo=", 3)) lo = strtoull(a + 3, NULL, 0);
        else if (!strncmp(a, "hi=", 3)) hi = strtoull(a + 3, NULL, 0);
        else if (!strncmp(a, "counts=", 7)) counts_path = strdup(a + 7);
        else if (!strncmp(a, "text=", 5)) file_text = strtoull(a + 5, NULL, 0);
        else if (!strncmp(a, "out=", 4)) out_path = strdup(a + 4);
        else if (!strncmp(a, "cache=", 6)) use_cache = atoi(a + 6);
        else if (!strncmp(a, "i1=", 3)) gi1 = a + 3;
        else if (!strncmp(a, "d1=", 3)) gd1 = a + 3;
        else if (!strncmp(a, "ll=", 3)) gll = a + 3;
        else if (!strcmp(a, "isa=x86_64")) isa = X86_64;
        else if (!strcmp(a, "isa=aarch64")) isa = AARCH64;
        else if (!strcmp(a, "isa=riscv64")) isa = RISCV64;
        else { fprintf(stderr, "simlab plugin: unknown argument %s\n", a); return -1; }
    }
    if (!out_path) { fprintf(stderr, "simlab plugin: out= is required\n"); return -1; }
    if (use_cache && (cache_init(&i1, gi1) || cache_init(&d1, gd1) || cache_init(&ll, gll))) {
        fprintf(stderr, "simlab plugin: i1=, d1=, ll= need size:assoc:line\n"); return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
    qemu_plugin_register_atexit_cb(id, write_stats, NULL);
    return 0;
}
