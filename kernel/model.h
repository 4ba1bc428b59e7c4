/* The kernel's forward pass over a model blob, composed from qmath.h's
 * blocks in the order llama.asm runs them. */
#ifndef KERNEL_MODEL_H
#define KERNEL_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "blob.h"

typedef struct {
  const uint8_t *blob;
  size_t size;
  const uint8_t *piece[B_VOCAB]; /* the bytes of each token's text */
  int piece_len[B_VOCAB];
  int32_t (*kv)[B_SEQ][2 * B_KV_DIM]; /* [layer][pos]: k 32, v 32 */
  FILE *trace;                   /* when set, dumps block outputs */
} model;

/* Checks the blob's size and vocabulary section; -1 with a one-line
 * message in err. */
int model_open(model *m, const uint8_t *blob, size_t size, const char *name,
               char *err, size_t errn);
void model_close(model *m);

/* Runs token `tok` at position `pos`; returns the argmax token, or -1 when
 * the kernel would take a divide fault (err says where). */
int model_step(model *m, int tok, int pos, char *err, size_t errn);

#endif
