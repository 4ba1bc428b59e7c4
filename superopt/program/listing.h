/* A whole program read through nasm's listing: every byte of the image
 * mapped to the source line that produced it, code decoded into the
 * instruction model, and each instruction marked searchable or not (with
 * the reason).  CFG, liveness and windows build on this. */
#ifndef SUPEROPT_PROGRAM_LISTING_H
#define SUPEROPT_PROGRAM_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "isa/isa.h"

/* Why an item is not part of any window.  The order is the report order. */
typedef enum {
  EX_NONE,          /* searchable */
  EX_DATA,          /* db/dw/times/resb/align/incbin: bytes that are data */
  EX_KEEP,          /* inside a `; superopt: keep` annotation */
  EX_UNSUPPORTED,   /* bytes the instruction model does not decode */
  EX_CODE_AS_DATA,  /* code that the program also reads as data */
  EX_MACRO,         /* produced by a macro or %include: no line of its own */
  EX_ADDRESS,       /* an operand is an address (label) that moves when code shrinks */
  EX_CONTROL,       /* control transfer (jumps are relaxed by nasm, not searched) */
  EX_NOT_SEARCHABLE,/* decoded but the search cannot use it (I/O, cli, ...) */
  EX_COUNT
} exclusion;

const char *exclusion_name(exclusion e);

/* Where a NASM source line's comment starts (its ';' outside quotes), or
 * the terminating NUL when it has none. */
const char *nasm_comment(const char *line);

typedef struct {
  uint32_t off;       /* image offset */
  int len;            /* bytes */
  int line;           /* the program file's source line (1-based) that made it */
  int level;          /* 0: that line itself; >0: a macro or include expansion */
  bool is_code;       /* the source says instruction (not a data directive) */
  bool decoded;       /* is_code and isa_decode read exactly len bytes */
  bool reloc;         /* nasm marked part of its bytes as an address ([..]) */
  bool labeled;       /* a label is defined right before or on this item */
  bool addr_taken;    /* its address appears as a value somewhere */
  bool padding;       /* `times N-($-$$)` fill: its size follows the code's */
  insn in;            /* when decoded */
  char *text;         /* the listing's source text of this item (owned) */
  uint32_t rval[4];   /* relocated values nasm shows in [..] (section offsets) */
  int nrval;
  /* per operand of `in`: 1 + the index in labels of the label whose address
     (plus sym_off) the operand holds, read from the source text and checked
     against the bytes; 0 for none.  An item whose every relocated value is
     such an operand is searched with them as symbolic constants. */
  int sym_label[3];
  int32_t sym_off[3];
  exclusion why;
  char err[96];       /* decode failure text */
} prog_item;

typedef struct {
  char name[64];
  int line;           /* source line of the definition */
  int item;           /* first item at or after it, -1 if none */
  bool local;         /* .name or %%name */
} prog_label;

typedef struct {
  char path[1024];    /* the program's source file */
  char incdir[1024];  /* its directory, passed to nasm as -I */
  char **src;         /* source lines, without newline, src[0] = line 1 */
  int nsrc;
  uint8_t *image;
  size_t size;
  uint32_t org;       /* the origin nasm assembled at (read off a relocated operand) */
  prog_item *it;
  int n;
  prog_label *labels;
  int nlabels;
  int padding_bytes;  /* bytes of `times N-($-$$)` padding lines */
  char listing_warning[256];
} program;

/* Assemble `path` with nasm (flat binary + listing), read the listing and
 * decode the code.  On failure returns false with "FILE:LINE: message" (or
 * the missing tool) in err; *tool_missing is set when nasm is absent. */
bool program_read(const char *path, program *p, char *err, size_t errn,
                  bool *tool_missing);
/* The same with another directory for %include/incbin (a copy of a program
 * kept elsewhere still finds its neighbours). */
bool program_read_in(const char *path, const char *incdir, program *p, char *err,
                     size_t errn, bool *tool_missing);
void program_free(program *p);

/* Program bytes as the size ledger counts them: image minus `times`
 * padding whose count depends on $ (boot-sector fill). */
size_t program_bytes(const program *p);

/* Run nasm -f bin on src, writing bin (and lst when non-NULL).  incdir is
 * passed as -I.  Returns 0 ok, 2 assembly error (message in err), 3 nasm
 * missing. */
int listing_assemble(const char *src, const char *incdir, const char *bin,
                     const char *lst, char *err, size_t errn);

/* Parse a listing file into items (level, line, offset; lengths from the
 * following offset).  image_size closes the last item.  Internal to
 * program_read but exposed for tests. */
bool listing_parse(const char *lst, size_t image_size, program *p,
                   char *err, size_t errn);

/* One line of a nasm listing (`-l`): false for a line without an offset;
 * else its line number, offset, bytes column (relocated values in [..],
 * "-" when the item continues on the next line), macro/include level
 * (0: the file's own line) and source text. */
bool listing_line(const char *s, int *lineno, uint32_t *off, const char **bytes, int *level,
                  const char **text);

/* Classify items from their source text (data vs code, annotations, labels)
 * and decode the code.  Internal to program_read, exposed for tests. */
void listing_classify(program *p);

/* Relocated operands that are a label plus a constant (listing_labels.c):
 * sets sym_label/sym_off and lets such items into windows.  Internal to
 * listing_classify, after the origin is known. */
void listing_label_operands(program *p);

/* Index of the item starting at image offset off, or -1. */
int program_item_at(const program *p, uint32_t off);
/* Index of the item whose bytes include image offset off, or -1. */
int program_item_containing(const program *p, uint32_t off);

/* The address label k has in the image (org + offset of its item), or -1
 * when no item follows it. */
int64_t program_label_value(const program *p, int k);

/* Label k is `name: equ value`: a constant, not a position. */
bool program_label_is_equ(const program *p, int k);

/* The nearest preceding non-local label of item i ("" if none). */
const char *program_owner_label(const program *p, int i);

#endif
