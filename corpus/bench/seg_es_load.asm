; note: a load from es without switching ds
; live-out: al si ds es
; best-bytes: 3
; best: mov al, [es:si]
mov cx, ds
mov dx, es
mov ds, dx
mov al, [si]
mov ds, cx
