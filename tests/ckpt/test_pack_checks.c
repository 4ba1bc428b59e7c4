/* build/pack refuses every corrupt input with exit status 2 and one line on
 * stderr naming the bad file and the problem, and leaves no output file
 * (nor any temporary) behind.  Valid inputs are packed. */
#include "ckpt.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

static int run_pack(const char *ck, const char *tok, const char *out, char *err, size_t errn) {
  char *argv[] = {(char *)required_env("PACK_BIN"), (char *)ck, (char *)tok, (char *)out, NULL};
  char stdout_text[4096];
  return run_tool(argv, stdout_text, sizeof stdout_text, err, errn);
}

Test(pack_cli, packs_the_real_model) {
  char dir[PATH_MAX_LEN], ck[PATH_MAX_LEN], tok[PATH_MAX_LEN], out[PATH_MAX_LEN], err[1024];
  model_file("stories260K.bin", ck);
  model_file("tok512.bin", tok);
  scratch_make(dir);
  path_join(out, dir, "model.blob");
  int rc = run_pack(ck, tok, out, err, sizeof err);
  size_t len = 0;
  int made = file_exists(out);
  if (made) free(file_read(out, &len));
  scratch_remove(dir);
  cr_expect_eq(rc, 0, "pack failed: %s", err);
  cr_expect(made && len > 0, "no blob written");
}

Test(pack_cli, packs_a_random_model) {
  char dir[PATH_MAX_LEN], ck[PATH_MAX_LEN], tok[PATH_MAX_LEN], out[PATH_MAX_LEN], err[1024];
  model_file("tok512.bin", tok);
  scratch_make(dir);
  path_join(ck, dir, "random.bin");
  path_join(out, dir, "random.blob");
  cr_assert_eq(ckpt_write_random(ck, &CKPT_STORIES260K, 2, err, sizeof err), 0, "%s", err);
  int rc = run_pack(ck, tok, out, err, sizeof err);
  int made = file_exists(out);
  scratch_remove(dir);
  cr_expect_eq(rc, 0, "pack failed: %s", err);
  cr_expect(made, "no blob written");
}

ParameterizedTestParameters(pack_cli, refuses_corrupt_input) {
  static size_t idx[64];
  for (size_t i = 0; i < N_CORRUPT_CASES; i++) idx[i] = i;
  return cr_make_param_array(size_t, idx, N_CORRUPT_CASES);
}

ParameterizedTest(size_t *i, pack_cli, refuses_corrupt_input) {
  const corrupt_case *c = &CORRUPT_CASES[*i];
  char dir[PATH_MAX_LEN], ck[PATH_MAX_LEN], tok[PATH_MAX_LEN], out[PATH_MAX_LEN], err[1024];
  scratch_make(dir);
  corrupt_make(c, dir, ck, tok);
  int before = scratch_entries(dir);
  path_join(out, dir, "model.blob");
  int rc = run_pack(ck, tok, out, err, sizeof err);
  int left = file_exists(out), after = scratch_entries(dir);
  scratch_remove(dir);

  cr_expect_eq(rc, 2, "%s: exit status %d (stderr: %s)", c->name, rc, err);
  cr_expect_not(left, "%s: output file left behind", c->name);
  cr_expect_eq(after, before, "%s: %d new file(s) left in the output directory", c->name,
               after - before);
  const char *bad = c->bad_is_tokenizer ? tok : ck;
  cr_expect(strstr(err, bad), "%s: error does not name %s: %s", c->name, bad, err);
  cr_expect(contains_any(err, c->keywords), "%s: error does not say %s: %s", c->name,
            c->keywords, err);
  char *nl = strchr(err, '\n');
  cr_expect(nl && nl[1] == '\0', "%s: stderr is not exactly one line: %s", c->name, err);
}
