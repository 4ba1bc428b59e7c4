; note: cf inverted through a byte register is cmc
; live-out: cf
; best-bytes: 1
; best: cmc
setnc al
shr al, 1
