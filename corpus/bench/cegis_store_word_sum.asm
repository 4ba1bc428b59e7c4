; note: a store and an addition to the stored word are one store of the sum (flags dead)
; live-out: mem di
; best-bytes: 5
; best: mov word [di+4], 0x1234
mov word [di+4], 0x1200
add word [di+4], 0x34
