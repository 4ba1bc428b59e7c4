/* The model blob's layout: fixed offsets for the stories260K shape.
 * kernel/SPEC.md describes every section; llama.asm hard-codes the same
 * offsets (BLOB_* there), pack writes them and golden reads them. */
#ifndef KERNEL_BLOB_H
#define KERNEL_BLOB_H

enum {
  B_DIM = 64, B_HID = 172, B_LAYERS = 5, B_HEADS = 8, B_KV_HEADS = 4,
  B_HEAD = 8, B_KV_DIM = 32, B_VOCAB = 512, B_SEQ = 512,
  B_QKV_ROWS = B_DIM + 2 * B_KV_DIM,   /* q 64, k 32, v 32 */
  B_W13_ROWS = 2 * B_HID,              /* w1 172 (gate), w3 172 (up) */

  /* A matrix row: n int8 weights, then the int32 scale M (real scale * 2^32). */
  B_ROW64 = 4 + B_DIM,
  B_ROW172 = 4 + B_HID,

  B_QKV = 0,
  B_WO = B_QKV + B_QKV_ROWS * B_ROW64,
  B_W13 = B_WO + B_DIM * B_ROW64,
  B_W2 = B_W13 + B_W13_ROWS * B_ROW64,
  B_LAYER_BYTES = B_W2 + B_DIM * B_ROW172,

  B_CLS = B_LAYERS * B_LAYER_BYTES,          /* classifier, final gain folded */
  B_EMB = B_CLS + B_VOCAB * B_ROW64,         /* token embedding, int32 Q16.16 rows */
  B_ROPE = B_EMB + B_VOCAB * B_DIM * 4,      /* [pos][pair 0..3] {cos, -sin, sin, cos} Q16 */
  B_TAB_N = 8192,                            /* entries per lookup table */
  B_EXP = B_ROPE + B_SEQ * (B_HEAD / 2) * 16, /* uint16: 65536 exp(-i/256) */
  B_SIG = B_EXP + B_TAB_N * 2,               /* uint16: 65536 sigmoid((i-4096)/256) */
  B_VOC = B_SIG + B_TAB_N * 2,               /* vocab: 16-byte slots, uint16 length + bytes */
  B_SLOT = 16,
  B_PIECE_MAX = B_SLOT - 2,
  B_SIZE = B_VOC + B_VOCAB * B_SLOT,

  B_BOS = 1,
};

#endif
