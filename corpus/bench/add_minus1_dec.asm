; note: adding -1 with the flags dead is dec
; live-out: dx
; best-bytes: 1
; best: dec dx
add dx, -1
