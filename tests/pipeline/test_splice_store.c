/* Source rewriting and the results store. */
#include <criterion/criterion.h>
#include "helpers.h"
#include "splice/edit.h"
#include "store/store.h"

Test(splice, replaces_lines_keeps_label_and_names_proof) {
  const char *src =
    "bits 16\n"                    /* 1 */
    "start:  mov ah, 0\n"          /* 2 */
    "        mov al, 0xe3 ; baud\n" /* 3: its comment survives */
    "        ; a comment stays\n"  /* 4 */
    "        mov dx, 0\n"          /* 5 */
    "        int 0x14\n";          /* 6 */
  program p;
  char err[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  splice_edit e;
  memset(&e, 0, sizeof e);
  e.a = item_on_line(&p, 2);
  e.b = item_on_line(&p, 5);
  uint8_t code[] = {0xb8, 0xe3, 0x00, 0x99};   /* mov ax, 0xe3; cwd */
  int off = 0;
  while (off < (int)sizeof code) {
    int l = isa_decode(code + off, sizeof code - (size_t)off, &e.code[e.n], NULL, 0);
    cr_assert_gt(l, 0);
    off += l;
    e.n++;
  }
  snprintf(e.tag, sizeof e.tag, "0123abcd");
  splice_edit *list[1] = {&e};
  size_t len;
  char *out = splice_apply(&p, list, 1, &len);
  /* `mov ax, 0xe3` keeps the constant of `mov al, 0xe3`, and its comment */
  cr_expect_str_eq(out, "bits 16\nstart:  mov ax, 0xe3  ; baud ; superopt: 0123abcd\n        cwd\n"
                        "        ; a comment stays\n        int 0x14\n");
  cr_expect_eq(e.new_first_line, 2);
  cr_expect_eq(e.new_nlines, 2);
  /* the new text assembles to the very bytes of the replacement */
  const char *path = temp_asm(out);
  program q;
  bool missing;
  cr_assert(program_read(path, &q, err, sizeof err, &missing), "%s", err);
  char why[256];
  cr_expect(splice_bytes_match(&q, &e, why, sizeof why), "%s", why);
  cr_expect_eq(program_bytes(&q), program_bytes(&p) - 3);
  unlink(path);
  program_free(&q);
  free(out);
  program_free(&p);
}

Test(store, keys_results_and_search_counts) {
  char path[] = "/tmp/pipeline-storeXXXXXX";
  cr_assert(mkdtemp(path));
  char db[96];
  snprintf(db, sizeof db, "%s/s.sqlite", path);
  char err[256];
  store *st = store_open(db, err, sizeof err);
  cr_assert(st, "%s", err);
  snippet s;
  memset(&s, 0, sizeof s);
  s.live_out = LOC_R16(R_AX);
  uint8_t bytes[] = {0xb8, 0x00, 0x00};
  char k1[33], k2[33], k3[33];
  store_key(&s, bytes, 3, k1);
  s.live_out |= LOC_CF;
  store_key(&s, bytes, 3, k2);
  s.assume[0] = (assumption){ASSUME_EQ, LOC_DF, 0};
  s.nassume = 1;
  store_key(&s, bytes, 3, k3);
  cr_expect_str_neq(k1, k2, "live-out is part of the key");
  cr_expect_str_neq(k2, k3, "assumptions are part of the key");
  store_search r, got;
  memset(&r, 0, sizeof r);
  r.status = 0;
  r.orig_bytes = 3;
  r.best_bytes = 2;
  snprintf(r.best_hex, sizeof r.best_hex, "31c0");
  r.time_s = 2;
  cr_expect(!store_get_search(st, k1, &got));
  cr_assert(store_put_search(st, k1, "p.asm", 3, "start", "mov ax, 0x0", &r));
  cr_assert(store_get_search(st, k1, &got));
  cr_expect_eq(got.best_bytes, 2);
  cr_expect_str_eq(got.best_hex, "31c0");
  cr_expect_eq(got.searches, 1);
  cr_assert(store_put_search(st, k1, "p.asm", 3, "start", "mov ax, 0x0", &r));
  cr_assert(store_get_search(st, k1, &got));
  cr_expect_eq(got.searches, 2, "a repeated search is counted");
  cr_expect_eq(store_count(st, "search"), 1);
  /* two writers of one key: the longer-searched answer stays, in either order */
  store_search shorter_search = r, longer_search = r;
  shorter_search.time_s = 1;
  snprintf(shorter_search.best_hex, sizeof shorter_search.best_hex, "29c0");
  cr_assert(store_put_search(st, k1, "p.asm", 3, "start", "mov ax, 0x0", &shorter_search));
  cr_assert(store_get_search(st, k1, &got));
  cr_expect_str_eq(got.best_hex, "31c0", "a shorter search does not replace a longer one's answer");
  cr_expect_eq(got.searches, 3);
  longer_search.time_s = 5;
  longer_search.proof_text = "; proof text\n";
  snprintf(longer_search.best_hex, sizeof longer_search.best_hex, "2bc0");
  cr_assert(store_put_search(st, k1, "p.asm", 3, "start", "mov ax, 0x0", &longer_search));
  cr_assert(store_get_search(st, k1, &got));
  cr_expect_str_eq(got.best_hex, "2bc0", "a longer search replaces the answer");
  cr_expect_eq(got.time_s, 5);
  cr_expect_eq(got.searches, 4);
  char *proof = store_get_proof(st, k1);
  cr_expect(proof && !strcmp(proof, "; proof text\n"), "the proof text travels with the answer");
  free(proof);
  cr_expect_null(store_get_proof(st, k2), "no answer, no proof");
  /* the shard of a key is its first 32 bits mod N */
  cr_expect_eq(store_shard_of("0000000500000000", 3), 2);
  cr_expect_eq(store_shard_of("ffffffff00000000", 2), 1);
  cr_expect_eq(store_shard_of(k1, 1), 0);
  char v[32], why[64];
  cr_assert(store_put_verdict(st, k1, "src1", "p.asm", "rejected", "check failed", NULL, 1));
  cr_expect(store_get_verdict(st, k1, "src1", v, sizeof v, why, sizeof why));
  cr_expect_str_eq(v, "rejected");
  cr_expect(!store_get_verdict(st, k1, "src2", v, sizeof v, why, sizeof why),
            "a verdict belongs to the source it was made on");
  store_close(st);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf %s", path);
  cr_expect_eq(sh(cmd, NULL, 0), 0);
}
