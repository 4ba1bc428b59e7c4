; note: a word known at entry: adding it to ax is adding the constant, and the increment folds in
; live-out: ax
; assume: word [0x7e00]=0x1233
; best-bytes: 3
; best: add ax, 0x1234
add ax, [0x7e00]
inc ax
