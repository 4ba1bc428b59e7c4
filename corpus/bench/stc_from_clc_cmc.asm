; note: clear then complement the carry
; best-bytes: 1
; best: stc
clc
cmc
