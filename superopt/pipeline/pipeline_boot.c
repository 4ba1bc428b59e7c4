/* --check-boot SCRIPT: the check command becomes verify/boot-script
 * comparing each spliced image's capture with the original's. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pipeline/pipeline_int.h"
#include "sys/run.h"

/* The harness next to the binary's checkout (build/superopt ->
 * verify/boot-script), unless SUPEROPT_BOOT_SCRIPT names one. */
static void harness_path(char *out, size_t n) {
  const char *env = getenv("SUPEROPT_BOOT_SCRIPT");
  if (env && *env) {
    snprintf(out, n, "%s", env);
    return;
  }
  char exe[PATH_MAX];
  ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (k > 0) {
    exe[k] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    snprintf(out, n, "%s/../verify/boot-script", exe);
    if (access(out, X_OK) == 0) return;
  }
  snprintf(out, n, "verify/boot-script");
}

static bool quotable(const char *s) {
  return strchr(s, '\'') == NULL;
}

int pipeline_boot_reference(pipeline *pl) {
  const pipeline_opts *o = pl->o;
  char harness[PATH_MAX + 32], script[PATH_MAX], img[1400], ref[1400];
  harness_path(harness, sizeof harness);
  if (!realpath(o->check_boot, script)) {
    fprintf(stderr, "superopt %s: %s: no such check script\n", o->name, o->check_boot);
    return 2;
  }
  const char *name = strrchr(o->program, '/');
  name = name ? name + 1 : o->program;
  snprintf(img, sizeof img, "%s/%s.orig.img", o->work_dir, name);
  snprintf(ref, sizeof ref, "%s/%s.capture", o->work_dir, name);
  if (!quotable(harness) || !quotable(script) || !quotable(ref) || !quotable(pl->p.incdir)) {
    fprintf(stderr, "superopt %s: a path with a ' in it cannot be passed to the check\n", o->name);
    return 2;
  }
  if (!write_file_atomic(img, (const char *)pl->p.image, pl->p.size)) {
    fprintf(stderr, "superopt %s: cannot write %s\n", o->name, img);
    return 3;
  }
  const char *argv[] = {harness, "--dir", pl->p.incdir, script, img, ref, NULL};
  char log[1400];
  snprintf(log, sizeof log, "%s/reference.log", o->work_dir);
  int rc = run_process(argv, NULL, NULL, log, log, o->check_timeout);
  if (rc != 0) {
    fprintf(stderr, "superopt %s: the original %s under %s gives no capture (exit %d, see %s)\n",
            o->name, o->program, o->check_boot, rc, log);
    if (rc == 2) return 2;              /* a bad script */
    if (rc == 3 || rc == 127) return 3; /* qemu or the harness missing */
    return 1;
  }
  int k = snprintf(pl->check_cmd, sizeof pl->check_cmd, "%s%s'%s' --dir '%s' --compare '%s' '%s' \"$1\"",
                   o->check ? o->check : "", o->check ? " && " : "", harness, pl->p.incdir, ref,
                   script);
  if (k >= (int)sizeof pl->check_cmd) {
    fprintf(stderr, "superopt %s: the check command is too long\n", o->name);
    return 2;
  }
  pl->check = pl->check_cmd;
  return 0;
}
