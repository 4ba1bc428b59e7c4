; note: lea multiplies by 9 without touching the flags; imul is shorter but sets cf and of
; live-out: ax cf zf sf of
; trap: imul ax, ax, 9
lea ax, [eax+eax*8]
