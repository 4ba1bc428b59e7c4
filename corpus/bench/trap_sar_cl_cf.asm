; note: sar by cl at counts >= the width still defines CF (the sign)
; live-out: al cf
; assume: cl=9
; trap: cbw; mov al, ah
sar al, cl
