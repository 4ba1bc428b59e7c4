/* Fixed layout: a boot sector keeps its size and signature, data the code
 * addresses by number stays put, and a program without a fill gets one. */
#include <criterion/criterion.h>
#include "helpers.h"
#include "splice/layout.h"

static bool boot_ok(const program *p) {
  return p->size == 512 && p->image[510] == 0x55 && p->image[511] == 0xaa;
}

/* `mov si, 0x7c0b` names the table's address as a number: removing one
 * byte before the table moves it, which the check refuses; removing one
 * after it does not. */
Test(layout, constant_address_stays_put) {
  const char *orig =
    "bits 16\norg 0x7c00\n"
    "        mov si, 0x7c0b\n"      /* 3 bytes */
    "        mov ax, 0\n"           /* 3 */
    "        nop\n"                 /* 1 */
    "        mov bx, 1\n"           /* 3: the table is at 10 */
    "        nop\n"                 /* 1: 0x7c0b */
    "tab:    db 1,2,3\n"
    "        nop\n        nop\n"
    "        times 510-($-$$) db 0\n        dw 0xaa55\n";
  const char *before_tab = "bits 16\norg 0x7c00\n        mov si, 0x7c0b\n        mov ax, 0\n"
    "        mov bx, 1\n        nop\ntab:    db 1,2,3\n        nop\n        nop\n"
    "        times 510-($-$$) db 0\n        dw 0xaa55\n";
  const char *after_tab = "bits 16\norg 0x7c00\n        mov si, 0x7c0b\n        mov ax, 0\n"
    "        nop\n        mov bx, 1\n        nop\ntab:    db 1,2,3\n        nop\n"
    "        times 510-($-$$) db 0\n        dw 0xaa55\n";
  program p, a, b;
  char err[256], why[256];
  cr_assert(read_text(orig, &p, err, sizeof err), "%s", err);
  cr_assert(read_text(before_tab, &a, err, sizeof err), "%s", err);
  cr_assert(read_text(after_tab, &b, err, sizeof err), "%s", err);
  layout l;
  layout_find(&p, &l);
  cr_expect(l.boot);
  cr_assert_eq(l.nfixed, 2, "the table and the signature");
  cr_expect_eq(l.fixed[0].off, 0xb);
  cr_expect_eq(l.fixed[0].line, 8);
  cr_expect_eq(l.fixed[1].off, 510);
  cr_expect(!l.has_fill, "the fill is after the signature's neighbour, not before the table");
  cr_expect_eq(l.fill_before_line, 8, "a fill would go before the table");
  cr_expect(!layout_check(&l, &p, &a, why, sizeof why), "moving the table is refused");
  cr_expect(strstr(why, "offset 0xb") != NULL, "%s", why);
  cr_expect(layout_check(&l, &p, &b, why, sizeof why), "%s", why);
  cr_expect(boot_ok(&b));
  program_free(&p);
  program_free(&a);
  program_free(&b);
}

/* A boot sector whose last code byte sits right before the signature: a
 * shrink anywhere moves the signature unless the fill is inserted. */
Test(layout, no_fill_gets_one_before_the_signature) {
  char src[4096];
  int k = snprintf(src, sizeof src, "bits 16\norg 0x7c00\n        mov ax, 0\n        mov ds, ax\n");
  for (int i = 0; i < 504 / 8; i++) k += snprintf(src + k, sizeof src - (size_t)k, "        db 0,0,0,0,0,0,0,0\n");
  k += snprintf(src + k, sizeof src - (size_t)k, "        db 0\n        db 0x55,0xaa     ; signature\n");
  program p;
  char err[256], why[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  cr_assert(boot_ok(&p), "the test program is a boot sector (%zu bytes)", p.size);
  layout l;
  layout_find(&p, &l);
  cr_expect(!l.has_fill);
  int sig_line = 3 + 2 + 504 / 8 + 1;
  cr_expect_eq(l.fill_before_line, sig_line);
  /* shrunk without the fill: 511 bytes, refused */
  char shrunk[4096];
  snprintf(shrunk, sizeof shrunk, "%s", src);
  char *mov = strstr(shrunk, "mov ax, 0\n");
  memcpy(mov, "xor ax,ax", 9);   /* 2 bytes instead of 3 */
  program q;
  cr_assert(read_text(shrunk, &q, err, sizeof err), "%s", err);
  cr_expect(!layout_check(&l, &p, &q, why, sizeof why));
  cr_expect(strstr(why, "511 bytes") != NULL, "%s", why);
  program_free(&q);
  /* with the fill inserted before the signature's line: 512 again */
  char filled[4200];
  char *sig = strstr(shrunk, "        db 0x55");
  snprintf(filled, sizeof filled, "%.*s%s\n%s", (int)(sig - shrunk), shrunk, l.fill_text, sig);
  cr_assert(read_text(filled, &q, err, sizeof err), "%s", err);
  cr_expect(layout_check(&l, &p, &q, why, sizeof why), "%s", why);
  cr_expect(boot_ok(&q));
  cr_expect_eq(program_bytes(&q), program_bytes(&p) - 1, "one byte freed");
  program_free(&q);
  program_free(&p);
}

/* The whole pipeline on corpus/hello without its `times` fill, padded to
 * the signature by data lines instead: every splice, and every prefix of
 * the patch series, gives a 512-byte image that still boots. */
Test(layout, shrink_without_fill_stays_bootable, .timeout = 900) {
  char dir[64], cmd[4096];
  static char out[1 << 16];
  snprintf(dir, sizeof dir, "/tmp/pipeline-layoutXXXXXX");
  cr_assert(mkdtemp(dir));
  /* hello.asm up to its fill, then as many zero bytes as the fill had */
  snprintf(cmd, sizeof cmd,
           "set -e; cd %s; sed '/times 510/,$d' %s/corpus/hello/hello.asm > head.asm;"
           " nasm -f bin head.asm -o head.bin; n=$((510 - $(stat -c%%s head.bin)));"
           " { cat head.asm; i=0; while [ $i -lt $n ]; do echo '        db 0'; i=$((i+1)); done;"
           " echo '        db 0x55,0xaa            ; boot signature'; } > nofill.asm;"
           " grep -c times nofill.asm || true",
           dir, getenv("PWD") ? getenv("PWD") : ".");
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  cr_assert_eq(atoi(out), 0, "the program has no times line");
  snprintf(cmd, sizeof cmd,
           "%s shrink %s/nofill.asm --check 'test $(stat -c%%s \"$1\") = 512 && corpus/hello/check \"$1\"'"
           " --window 3 --window-time 2 --budget 600 --results %s/res --work %s/work --out %s/out.asm 2>&1",
           superopt_bin(), dir, dir, dir, dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int accepted = -1, freed = -1;
  const char *f = strstr(out, "bytes freed: ");
  cr_assert(f, "%s", out);
  sscanf(f, "bytes freed: %d", &freed);
  const char *a = strstr(out, "splices accepted ");
  cr_assert(a, "%s", out);
  accepted = atoi(a + strlen("splices accepted "));
  cr_expect_geq(accepted, 1, "%s", out);
  cr_expect_geq(freed, 1, "%s", out);
  cr_expect(strstr(out, "fill inserted before line") != NULL, "the report says so: %s", out);
  /* each prefix of the series: 512 bytes, signature at 510, boots */
  snprintf(cmd, sizeof cmd,
           "set -e; cd %s; mkdir repo; cp nofill.asm repo/; cd repo; git init -q; git add .;"
           " git -c user.name=t -c user.email=t@t commit -q -m base; n=0;"
           " for p in ../res/patches/*.patch; do"
           "  git -c user.name=t -c user.email=t@t am -q \"$p\"; nasm -f bin nofill.asm -o img;"
           "  test $(stat -c%%s img) = 512; test \"$(od -An -tx1 -j510 -N2 img | tr -d ' ')\" = 55aa;"
           "  (cd %s && corpus/hello/check %s/repo/img) >/dev/null; n=$((n+1)); done;"
           " cmp nofill.asm ../out.asm; grep -c 'times 510-(\\$-\\$\\$) db 0' nofill.asm; echo $n",
           dir, getenv("PWD") ? getenv("PWD") : ".", dir);
  cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
  int fills = 0, n = 0;
  sscanf(out, "%d %d", &fills, &n);
  cr_expect_eq(fills, 1, "one fill inserted: %s", out);
  cr_expect_eq(n, accepted, "every patch applied and booted: %s", out);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd, NULL, 0);
}
