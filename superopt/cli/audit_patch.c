/* Patch audit.  A patch is sound when it applies to the base it was made
 * from and yields the result it claims: its `index OLD..NEW` line names
 * both blobs.  The base is looked up in the repository (git cat-file) or
 * among the results of earlier patches of the series (in name order), the
 * patch applied to it in a scratch directory, and the result's blob hash
 * compared with NEW.  A program kept outside the repository is named with
 * --base FILE: its blob is a base like the repository's.  Whether the tree at HEAD already contains the patch
 * (reverse-applies) or could take it (applies) is reported, not required:
 * the kernel moves on after a patch is applied. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/audit.h"
#include "sys/run.h"

typedef struct {
  char blob[48];
  char *text;
  size_t n;
} known_blob;

/* A git command's standard output, when it succeeds. */
static bool git_output(const char *const argv[], const char *cwd, char **out, size_t *n) {
  if (run_output(argv, cwd, 60, false, out, n) == 0) return true;
  free(*out);
  *out = NULL;
  return false;
}

static bool prefix_match(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b), l = la < lb ? la : lb;
  return l >= 7 && !strncmp(a, b, l);
}

static int patch_filter(const struct dirent *d) {
  size_t l = strlen(d->d_name);
  return l > 6 && !strcmp(d->d_name + l - 6, ".patch");
}

int audit_patches(const char *dir, int *npatches) {
  return audit_patches_on(dir, NULL, 0, npatches);
}

int audit_patches_on(const char *dir, const char *const *bases, int nbases, int *npatches) {
  struct dirent **names;
  int n = scandir(dir, &names, patch_filter, alphasort);
  *npatches = 0;
  if (n < 0) return 0;
  const char *top_argv[] = {"git", "rev-parse", "--show-toplevel", NULL};
  char *top = NULL;
  size_t tn;
  if (!git_output(top_argv, NULL, &top, &tn)) top = strdup(".");
  char *nl = strchr(top, '\n');
  if (nl) *nl = 0;
  known_blob *known = calloc((size_t)n + (size_t)nbases + 1, sizeof *known);
  int nknown = 0, failures = 0;
  /* programs kept outside the repository: their blobs are bases too */
  for (int b = 0; b < nbases; b++) {
    const char *hash[] = {"git", "hash-object", bases[b], NULL};
    char *h = NULL;
    size_t hn;
    known[nknown].text = read_whole_file(bases[b], &known[nknown].n);
    if (!known[nknown].text || !git_output(hash, NULL, &h, &hn)) {
      printf("patch base %s: FAIL: cannot be read\n", bases[b]);
      free(known[nknown].text);
      free(h);
      failures++;
      continue;
    }
    snprintf(known[nknown].blob, sizeof known[nknown].blob, "%.40s", h);
    free(h);
    nknown++;
  }
  for (int i = 0; i < n; i++) {
    char path[4096], abspath[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    if (!realpath(path, abspath)) snprintf(abspath, sizeof abspath, "%s", path);
    (*npatches)++;
    size_t pn;
    char *patch = read_whole_file(path, &pn);
    char file[2048] = "", oldb[48] = "", newb[48] = "";
    for (char *l = patch; l && *l;) {
      char *e = strchr(l, '\n');
      if (!strncmp(l, "diff --git a/", 13) && !file[0]) {
        char *sp = strstr(l + 13, " b/");
        if (sp) snprintf(file, sizeof file, "%.*s", (int)(sp - l - 13), l + 13);
      }
      if (!strncmp(l, "index ", 6) && !oldb[0]) {
        char *dots = strstr(l, "..");
        if (dots) {
          snprintf(oldb, sizeof oldb, "%.*s", (int)(dots - l - 6), l + 6);
          size_t k = 0;
          for (char *q = dots + 2; *q && *q != ' ' && *q != '\n' && k + 1 < sizeof newb; q++) newb[k++] = *q;
          newb[k] = 0;
        }
      }
      l = e ? e + 1 : NULL;
    }
    free(patch);
    const char *why = NULL;
    char *base = NULL;
    size_t bn = 0;
    if (!file[0] || !oldb[0] || !newb[0]) why = "not a single-file git patch with an index line";
    for (int k = 0; !why && !base && k < nknown; k++)
      if (prefix_match(known[k].blob, oldb)) {
        base = malloc(known[k].n + 1);
        memcpy(base, known[k].text, known[k].n + 1);
        bn = known[k].n;
      }
    if (!why && !base) {
      const char *cat[] = {"git", "cat-file", "-p", oldb, NULL};
      if (!git_output(cat, top, &base, &bn)) why = "its base blob is neither in the repository nor made by an earlier patch";
    }
    char result_blob[64] = "";
    char *result = NULL;
    size_t rn = 0;
    if (!why) {
      char tmpd[] = "/tmp/superopt-replayXXXXXX";
      if (!mkdtemp(tmpd)) {
        why = "mkdtemp failed";
      } else {
        char fpath[6200], sub[6200];
        snprintf(fpath, sizeof fpath, "%s/%s", tmpd, file);
        snprintf(sub, sizeof sub, "%s", fpath);
        *strrchr(sub, '/') = 0;
        make_dirs(sub);
        write_file_atomic(fpath, base, bn);
        const char *apply[] = {"git", "apply", abspath, NULL};
        if (run_process(apply, tmpd, NULL, NULL, NULL, 60) != 0) {
          why = "does not apply to its base";
        } else {
          result = read_whole_file(fpath, &rn);
          const char *hash[] = {"git", "hash-object", fpath, NULL};
          char *h = NULL;
          size_t hn;
          if (git_output(hash, NULL, &h, &hn)) {
            snprintf(result_blob, sizeof result_blob, "%.40s", h);
            free(h);
          }
          if (!prefix_match(result_blob, newb)) why = "yields another result than its index line names";
        }
        const char *rm[] = {"rm", "-rf", tmpd, NULL};
        run_process(rm, NULL, NULL, NULL, NULL, 30);
      }
    }
    if (!why && result) {
      snprintf(known[nknown].blob, sizeof known[nknown].blob, "%s", result_blob);
      known[nknown].text = result;
      known[nknown].n = rn;
      nknown++;
      result = NULL;
    }
    free(result);
    free(base);
    const char *state = "";
    if (!why) {
      const char *rev[] = {"git", "apply", "--check", "-R", abspath, NULL};
      const char *fwd[] = {"git", "apply", "--check", abspath, NULL};
      if (run_process(rev, top, NULL, NULL, NULL, 60) == 0) state = "; the working tree contains it";
      else if (run_process(fwd, top, NULL, NULL, NULL, 60) == 0) state = "; applies to the working tree";
      else state = "; the working tree has moved on (neither applies nor reverts cleanly)";
      printf("patch %s: ok (replays on %.10s%s)\n", names[i]->d_name, oldb, state);
    } else {
      printf("patch %s: FAIL: %s\n", names[i]->d_name, why);
      failures++;
    }
    free(names[i]);
  }
  for (int k = 0; k < nknown; k++) free(known[k].text);
  free(known);
  free(names);
  free(top);
  return failures;
}
