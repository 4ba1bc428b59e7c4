/* Where the image's bytes must stay.  A boot sector (512 bytes, 0x55 0xAA
 * at 510) keeps its size and its signature; data whose address the code
 * writes as a plain number (not a label nasm relocates) stays at that
 * address.  A shrink before such bytes is absorbed by a `times N-($-$$)`
 * fill in front of them; a program without one gets a fill inserted before
 * its first fixed-position byte. */
#ifndef SUPEROPT_SPLICE_LAYOUT_H
#define SUPEROPT_SPLICE_LAYOUT_H

#include "program/listing.h"

#define LAYOUT_MAX_FIXED 32

typedef struct {
  uint32_t off;
  int len;
  int line;            /* source line of the item */
  const char *why;     /* "boot signature", "address used as a constant" */
} layout_fixed;

typedef struct {
  bool boot;                    /* 512 bytes with 0x55 0xAA at 510 */
  layout_fixed fixed[LAYOUT_MAX_FIXED];
  int nfixed;                   /* sorted by offset */
  bool truncated;               /* more fixed items than recorded: splices refused */
  int first_movable;             /* index in fixed[] of the first with offset > 0 (nfixed: none) */
  bool has_fill;                /* a `times N-($-$$)` line right before the first fixed item */
  int fill_before_line;         /* 0, or the line a fill must be inserted before */
  char fill_text[96];           /* that fill line */
} layout;

void layout_find(const program *p, layout *l);

/* Does `after` (the program with splices) keep every fixed byte of `orig`
 * in place, and a boot sector's size?  False with the reason in why. */
bool layout_check(const layout *l, const program *orig, const program *after, char *why,
                  size_t whyn);

#endif
