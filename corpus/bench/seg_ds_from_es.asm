; note: a load after copying es into ds (ax, ds and si dead) is lodsb with an es override
; live-out: al
; best-bytes: 2
; best: es lodsb
mov ax, es
mov ds, ax
mov al, [si]
