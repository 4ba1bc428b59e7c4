/* The inputs of the BIOS services boot sectors call (see bios.h). */
#include "program/bios.h"

#define AL LOC_LO(R_AX)
#define BL LOC_LO(R_BX)
#define BH LOC_HI(R_BX)
#define CL LOC_LO(R_CX)
#define CH LOC_HI(R_CX)
#define DL LOC_LO(R_DX)
#define DH LOC_HI(R_DX)
#define BX LOC_R16(R_BX)
#define CX LOC_R16(R_CX)
#define DX LOC_R16(R_DX)

typedef struct {
  uint8_t vector, ah;
  locset reads;   /* besides AH, the stack, the segments, DF and memory */
} service;

static const service services[] = {
  /* int 10h, video */
  {0x10, 0x00, AL},                          /* set mode */
  {0x10, 0x01, CH | CL},                     /* cursor shape */
  {0x10, 0x02, BH | DH | DL},                /* set cursor position */
  {0x10, 0x03, BH},                          /* get cursor position */
  {0x10, 0x05, AL},                          /* select page */
  {0x10, 0x06, AL | BH | CX | DX},           /* scroll up */
  {0x10, 0x07, AL | BH | CX | DX},           /* scroll down */
  {0x10, 0x08, BH},                          /* read character and attribute */
  {0x10, 0x09, AL | BH | BL | CX},           /* write character and attribute */
  {0x10, 0x0a, AL | BH | BL | CX},           /* write character (BL: graphics modes) */
  {0x10, 0x0b, BH | BL},                     /* palette */
  {0x10, 0x0c, AL | BH | CX | DX},           /* write pixel */
  {0x10, 0x0d, BH | CX | DX},                /* read pixel */
  {0x10, 0x0e, AL | BH | BL},                /* teletype output */
  {0x10, 0x0f, 0},                           /* get mode */
  /* int 13h, disk (ES:BX the buffer) */
  {0x13, 0x00, DL},                          /* reset */
  {0x13, 0x01, DL},                          /* status */
  {0x13, 0x02, AL | CX | DX | BX},           /* read sectors */
  {0x13, 0x03, AL | CX | DX | BX},           /* write sectors */
  {0x13, 0x04, AL | CX | DX | BX},           /* verify sectors */
  /* int 16h, keyboard */
  {0x16, 0x00, 0},                           /* read key */
  {0x16, 0x01, 0},                           /* key available */
  {0x16, 0x02, 0},                           /* shift flags */
  {0x16, 0x10, 0},                           /* read key (enhanced) */
  {0x16, 0x11, 0},                           /* key available (enhanced) */
  {0x16, 0x12, 0},                           /* shift flags (enhanced) */
  /* int 1Ah, clock */
  {0x1a, 0x00, 0},                           /* read tick count */
  {0x1a, 0x02, 0},                           /* read RTC time */
  {0x1a, 0x04, 0},                           /* read RTC date */
};

bool bios_reads(const insn *in, const prog_facts *f, locset *reads) {
  if (in->op != OP_INT || in->nops != 1 || in->o[0].kind != K_IMM) return false;
  if (!(f->known & LOC_HI(R_AX))) return false;
  uint8_t vector = (uint8_t)in->o[0].disp, ah = (uint8_t)(f->r[R_AX] >> 8);
  for (size_t k = 0; k < sizeof services / sizeof services[0]; k++)
    if (services[k].vector == vector && services[k].ah == ah) {
      *reads = services[k].reads | LOC_HI(R_AX) | LOC_R16(R_SP) | LOC_ALLSEGS | LOC_DF | LOC_MEM;
      return true;
    }
  return false;
}
