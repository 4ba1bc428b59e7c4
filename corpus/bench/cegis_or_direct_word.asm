; note: two ors of a word at a direct address are one
; live-out: mem
; best-bytes: 6
; best: or word [0x500], 0x1111
or word [0x500], 0x0101
or word [0x500], 0x1010
