; note: a byte copied from the code segment to es:di through al (al dead) is movsb with cs
; live-out: mem si di
; assume: df=0
; best-bytes: 2
; best: cs movsb
mov al, [cs:si]
mov [es:di], al
inc si
inc di
