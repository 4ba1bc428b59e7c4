/* Reading (and, for tests, writing) llama2.c checkpoints and tokenizers.
 * Every check failure is reported as one line naming the file and what is
 * wrong. */
#ifndef KERNEL_CKPT_H
#define KERNEL_CKPT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  int dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
  int shared_classifier;  /* 1 when the header's vocab_size was positive */
} ckpt_config;

/* Weights as in llama2.c's run.c, all float32, row-major (out, in). */
typedef struct {
  ckpt_config cfg;
  float *token_embedding;   /* vocab_size * dim */
  float *rms_att;           /* n_layers * dim */
  float *wq;                /* n_layers * dim * dim */
  float *wk;                /* n_layers * kv_dim * dim */
  float *wv;                /* n_layers * kv_dim * dim */
  float *wo;                /* n_layers * dim * dim */
  float *rms_ffn;           /* n_layers * dim */
  float *w1;                /* n_layers * hidden_dim * dim */
  float *w2;                /* n_layers * dim * hidden_dim */
  float *w3;                /* n_layers * hidden_dim * dim */
  float *rms_final;         /* dim */
  float *wcls;              /* vocab_size * dim (== token_embedding if shared) */
  float *data_;             /* owns everything above */
} ckpt;

typedef struct {
  int vocab_size;
  unsigned max_token_length;
  char **piece;             /* vocab_size NUL-terminated strings */
  int *piece_len;           /* their lengths (pieces may hold any byte) */
  float *score;
} tokenizer;

/* The shape sectoropt's kernel is built for (stories260K). */
extern const ckpt_config CKPT_STORIES260K;

/* 0 on success; -1 with a one-line message in err ("FILE: what is wrong"). */
int ckpt_load(const char *path, ckpt *out, char *err, size_t errn);
/* Also fails when the shape is not `want` (pass NULL to accept any). */
int ckpt_check_shape(const char *path, const ckpt *c, const ckpt_config *want,
                     char *err, size_t errn);
void ckpt_free(ckpt *c);

int tok_load(const char *path, int vocab_size, tokenizer *out, char *err, size_t errn);
void tok_free(tokenizer *t);

/* Write a checkpoint of shape `cfg` with weights drawn from a seeded
 * generator (same seed, same file).  Scales follow a trained model's so the
 * random model produces varied, long stories. 0 on success. */
int ckpt_write_random(const char *path, const ckpt_config *cfg, uint64_t seed,
                      char *err, size_t errn);

#endif
