/* Patch files made with git in a scratch repository (see patch.h). */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "splice/patch.h"
#include "sys/run.h"

void patch_repo_path(const char *program_path, char *out, size_t n) {
  char a[4096], b[4096];
  snprintf(a, sizeof a, "%s", program_path);
  snprintf(b, sizeof b, "%s", program_path);
  const char *dir = dirname(a), *base = basename(b);
  char tmp[] = "/tmp/superopt-prefixXXXXXX";
  int fd = mkstemp(tmp);
  if (fd >= 0) close(fd);
  const char *argv[] = {"git", "-C", dir, "rev-parse", "--show-prefix", NULL};
  int rc = fd >= 0 ? run_process(argv, NULL, NULL, tmp, NULL, 30) : -1;
  char *prefix = rc == 0 ? read_whole_file(tmp, NULL) : NULL;
  if (fd >= 0) unlink(tmp);
  if (prefix) {
    char *nl = strchr(prefix, '\n');
    if (nl) *nl = 0;
    snprintf(out, n, "%s%s", prefix, base);
    free(prefix);
  } else {
    snprintf(out, n, "%s", base);
  }
}

static int git(const char *dir, const char *const *args, const char *out) {
  const char *argv[24] = {"git", "-c", "user.name=superopt", "-c", "user.email=superopt@localhost",
                          "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"};
  int k = 9;
  for (int i = 0; args[i] && k < 23; i++) argv[k++] = args[i];
  argv[k] = NULL;
  return run_process(argv, dir, NULL, out, NULL, 60);
}

bool patch_write(const char *program_path, const char *base, size_t nbase,
                 const char *next, size_t nnext, const char *subject, const char *body,
                 const char *out_path, char *why, size_t whyn) {
  char rel[2048];
  patch_repo_path(program_path, rel, sizeof rel);
  char dir[] = "/tmp/superopt-patchXXXXXX";
  if (!mkdtemp(dir)) {
    snprintf(why, whyn, "mkdtemp failed");
    return false;
  }
  char file[4200], sub[4200], msg[4200], out[4200];
  snprintf(file, sizeof file, "%s/%s", dir, rel);
  snprintf(sub, sizeof sub, "%s", file);
  *strrchr(sub, '/') = 0;
  make_dirs(sub);
  snprintf(msg, sizeof msg, "%s/.msg", dir);
  snprintf(out, sizeof out, "%s/.patch", dir);
  char *message = malloc(strlen(subject) + strlen(body) + 4);
  sprintf(message, "%s\n\n%s", subject, body);
  bool ok = write_file_atomic(file, base, nbase) && write_file_atomic(msg, message, strlen(message));
  free(message);
  const char *init[] = {"init", "-q", NULL};
  const char *add[] = {"add", rel, NULL};
  const char *c1[] = {"commit", "-q", "-m", "base", NULL};
  const char *c2[] = {"commit", "-q", "-F", ".msg", NULL};
  const char *fp[] = {"format-patch", "-1", "--stdout", "--no-signature", NULL};
  ok = ok && git(dir, init, NULL) == 0 && git(dir, add, NULL) == 0 && git(dir, c1, NULL) == 0;
  ok = ok && write_file_atomic(file, next, nnext) && git(dir, add, NULL) == 0 &&
       git(dir, c2, NULL) == 0 && git(dir, fp, out) == 0;
  size_t n = 0;
  char *text = ok ? read_whole_file(out, &n) : NULL;
  ok = text && n > 0 && write_file_atomic(out_path, text, n);
  if (!ok) snprintf(why, whyn, "git could not make the patch for %s", rel);
  free(text);
  const char *rm[] = {"rm", "-rf", dir, NULL};
  run_process(rm, NULL, NULL, NULL, NULL, 30);
  return ok;
}
