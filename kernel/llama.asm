; llama.asm - Llama 2 (stories260K) inference in a boot image.
;
; Boots from a raw disk image, loads the rest of itself and the model blob
; (kernel/SPEC.md) with BIOS int 13h, switches to unreal mode (flat 4 GiB
; data segments, still 16-bit real-mode code) and runs the full forward pass
; per token: embedding, 5 x (RMSNorm, fused QKV, RoPE, KV cache, 8-head
; attention over 4 KV heads, Wo, RMSNorm, fused W1|W3, SwiGLU, W2), final
; RMSNorm, classifier, argmax.  Greedy from BOS until the model emits BOS or
; the 512-position context is full.  Each token's text goes to the screen
; (BIOS teletype) and to port 0xE9, where the test harness reads it.
; kernel/SPEC.md lists what it assumes of the machine, and why.
;
; kernel/golden.c (over qmath.c and model.c) is the bit-exact C model of
; this file: each block below names the qmath function it matches.
; Integer instructions of the 8086..386 only.

bits 16
cpu 386
org 0x7c00

; DS and ES address memory from linear BASE (their descriptor's base, and
; the real-mode base of the selector BASE / 16 they keep, so a BIOS that
; saves and reloads them leaves them as they were).  Offsets below are from
; BASE: the work areas start at offset 0 in the image's zero padding, past
; the kernel (at most 0x400 bytes from 0x7C00).
BASE    equ 0x8000

; ---- the blob (kernel/blob.h), loaded at image offset 0x1800 ----
BLOB    equ 0x9400 - BASE
B_CLS   equ 238560          ; after 5 layers of [QKV 128 | Wo 64 | W13 344 | W2 64] rows
B_EMB   equ 273376          ; int32 Q16.16 rows of 64
B_ROPE  equ 404448          ; [pos][pair] {cos, -sin, sin, cos} Q16
B_EXP   equ 437216          ; uint16 65536 exp(-i/256)
B_SIG   equ 453600          ; uint16 65536 sigmoid((i-4096)/256)
B_VOC   equ 469984          ; vocabulary: 16-byte slots, uint16 length and bytes

; ---- working memory: loaded as zeros with the image, before the blob ----
ATT     equ 0x0000          ; attention scores / probabilities, 512 x int32 (0: code clears si/di for it)
SCR     equ 0x0800          ; matmul output: q|k|v, w1x|w3x, logits (512 x int32)
X       equ 0x1000          ; residual stream, 64 x int32 Q16.16
XB      equ 0x1100          ; matmul input, up to 172 x int32
P128    equ 0x13f0          ; 128 pos (word)      } in the image's zero padding
KVB     equ 0x13f4          ; this layer's cache  } before the blob: start at 0
KV      equ 0x760000        ; layer l: K [t][32] at KV + l 2^17, V^T [32][t] 2^16 above;
                            ; linear 0x768000..0x807FFF: with A20 off the bit-20 half
                            ; maps onto 0x668000..0x6FFFFF, still one-to-one

; ---- boot: read image sectors 1..1024 (rest of the kernel, blob) to 0x7E00 ----
start:
        xor cx, cx              ; (cx stays 0 for the code that sets only cl)
        mov ds, cx              ; (the packet and the GDTR are read through DS)
        mov ss, cx
        mov sp, start           ; the stack grows down from the boot sector
        mov si, dap
.load:  mov ah, 0x42            ; extended read, DS:SI = packet, DL = boot drive
        int 0x13
        jnc .read
        int 0x18                ; a read failed: the BIOS says so, boots the next device
.read:  add word [si+8], 64     ; LBA += 64
        add byte [si+7], 0x08   ; buffer segment += 32 KiB: 16 reads, to 0x87E00,
        jns .load               ; until it reaches 0x87E0

; ---- unreal mode: DS, ES keep a flat 4 GiB descriptor after PE is cleared ----
        cli
        lgdt [gdtr]
        mov eax, cr0
        inc ax                  ; PE
        mov cr0, eax
        push word BASE >> 4     ; selector of the descriptor at GDT offset BASE / 16
        pop ds
        push ds
        pop es
        dec ax
        mov cr0, eax
        mov bx, SCR + 4         ; SCR + 4 token, token = BOS

; ---- main loop: one forward pass per position; bx = SCR + 4 token ----
main:
; embedding: X = EMB[token] (rows of 256 bytes)
        lea esi, [bx]  ; superopt: dc76938b985b3fa109fb1edd77e41970
        shl esi, 6
        add esi, BLOB + B_EMB - 64 * SCR
        mov di, X
        mov cl, 64              ; (ch = 0: every loop that runs before ends with cx = 0)
.emb:   a32 lodsd
        stosd
        loop .emb

        lea esi, [BLOB]         ; weights are read in order: layers, classifier ; superopt: 52a5005b3448e7e73a51729f00d210b0
        mov byte [KVB+2], KV >> 16
layer:
; attention block
        mov bp, 128
        call norm_mm            ; SCR = [q 64 | k 32 | v 32] = QKV norm(X)
        push si                 ; (the blocks below use si only: esi's high half stays)
; rope (q_rope): each pair (a, b) of q and k times its position's 2x2 rotation
        movzx ebx, word [P128]
        shr bx, 1               ; 64 pos: 4 matrices of 16 bytes ; superopt: e32d7770c7a6077cc0b84fd89d752919
        add ebx, BLOB + B_ROPE  ; 4 matrices {cos, -sin, sin, cos} for this position
        mov si, SCR
.rp:    call dot2               ; a' = a cos - b sin
        push eax
        call dot2               ; b' = a sin + b cos
        pop dword [si]
        mov [si+4], eax
        add si, 8
        test si, 31             ; a head's 4 pairs done: back to the first matrix
        jnz .rp
        sub ebx, 64
        cmp si, SCR + 384       ; q (8 heads) and k (4 heads)
        jb .rp
; cache: K[pos][j] = k_j, V^T[j][pos] = v_j
        mov edi, [KVB]          ; (its low word is 0: the cache is 64 KiB aligned)
        mov di, [P128]          ; &K[pos]
        mov edx, edi
        shr dx, 5               ; 4 pos
        bts edx, 16             ; &V^T[0][pos]
        mov si, SCR + 256
        mov cl, 32
.kv:    lodsd
        a32 stosd
        mov eax, [si + 128 - 4]
        mov [edx], eax
        add dh, 2048 >> 8       ; next V^T row (no carry: within 64 KiB)
        loop .kv
; attention: XB[8h + i] = sum_t p_t V[t][8 kv(h) + i], kv(h) = h / 2
        mov si, SCR             ; q of head h
.head: push si
        mov ebx, [KVB]
        mov bx, si
        shr bx, 1
        and bx, 0xe0
        push bx                 ; 4 8 kv(h)
                                ; ebx = &K[0][8 kv(h)]
        ; scores (q_dot): ATT[t] = q . k_t, t = 0..pos
        xor di, di              ; ATT
.sc:    cmp bx, [P128]          ; bx = 128 t + 32 kv(h) < 128 pos iff t < pos (checked
        pushf                   ; before the dot: after it, t = 511 would wrap bx)
        mov cl, 8
        call dot
        stosd
        add ebx, 128 - 32       ; next position's k
        popf
        jb .sc                  ; di = ATT + 4 (pos + 1) at the end
        ; softmax (q_softmax): e = EXP[(max - s) >> 8], p = (e << 16) / sum e
        xor si, si              ; ATT
        call maxof              ; ebp = max, si = di
        xor ecx, ecx            ; sum
        mov ebx, BLOB + B_EXP
.ex:    sub si, 4               ; from the last score down to ATT
        mov eax, ebp
        sub eax, [si]
        call lookup
        mov [si], eax
        add ecx, eax
        test si, si
        jnz .ex
.nm:    lodsd
        shl eax, 16
        xor edx, edx
        div ecx
        mov [si-4], eax
        cmp si, di
        jb .nm
        ; values (q_dot over V^T rows): out_i = p . V^T[8 kv(h) + i]
        mov ebx, [KVB]
        pop bx
        shl bx, 9               ; 8 kv(h) rows of 2 KiB
        bts ebx, 16             ; &V^T[8 kv(h)][0]
        pop si
        push si
        lea di, [si + XB - SCR] ; XB + 32 h
        xor si, si              ; ATT
.vo:    mov cx, 512             ; all 512 terms: ATT[t] is still 0 for t > pos
        call dot                ; (and ebx ends on the next row)
        stosd
        test di, 31
        jnz .vo
        pop si
        add si, 32
        cmp si, SCR + 256
        jb .head
        pop si
        mov bp, XB + 4*64
        call mm_x               ; X += Wo XB
; feed-forward block
        mov bp, 344
        call norm_mm            ; SCR = [w1 x 172 | w3 x 172] = W13 norm(X)
; swiglu (q_swiglu): XB[i] = ((g SIG[(g + 2^20) >> 8]) >> 16) u >> 16
        push si
        mov si, SCR
        mov di, XB
        mov ebx, BLOB + B_SIG
        mov cl, 172
.sg:    lodsd                   ; g = w1 x
        add eax, 4096 << 8
        call lookup
        imul dword [si-4]
        shrd eax, edx, 16
        imul dword [si-4+172*4] ; u = w3 x
        shrd eax, edx, 16
        stosd
        loop .sg
        pop si
        mov bp, XB + 4*172
        call mm_x               ; X += W2 XB
        add byte [KVB+2], 2     ; next layer's cache: 0x76 + 2 l, 0x80 after the last
        jns layer
; classifier and argmax (q_argmax: the first maximum)
        mov bp, 512
        call norm_mm            ; SCR = logits = CLS norm(X)
        mov si, SCR             ; (the matmul left di at the end of SCR)
        call maxof              ; bx = SCR + 4 token
        cmp bx, SCR + 4         ; BOS (1) ends the story
        je halt
; print the token's piece (16-byte slots: uint16 length, bytes, CR LF for a
; line feed) with the BIOS teletype, and to port 0xE9 for the harness
        lea esi, [ebx*4 + BLOB + B_VOC - 4 * SCR] ; ebx < 2^16: rmsnorm left its high half 0
        a32 lodsw
        xchg ax, cx
.ch:    a32 lodsb
        out 0xe9, al
        mov ah, 0x0e
        int 0x10
        loop .ch
        sub word [P128], -128   ; next position, until the context is full (128 512 = 2^16)
        jnz main
halt:   hlt                     ; interrupts are off (the BIOS returns with IF as it was): the end

; disk address packet for int 13h ah=42h
dap:    db 16, 0
        dw 64                   ; sectors per read
        dw 0, 0x07e0            ; buffer 07E0:0000
        dd 1, 0                 ; LBA

; ---- maxof: ebp = the first maximum of the int32 at si..di, bx its address ----
maxof:  mov ebp, [si]
        mov bx, si
.m:     lodsd
        cmp eax, ebp
        jle .n
        xchg eax, ebp
        lea bx, [si-4]
.n:     cmp si, di
        jb .m
        ret

; ---- norm_mm: XB = rmsnorm(X) (q_rmsnorm: X 2^11 / isqrt(sum (X >> 8)^2)),
;      then SCR = W XB for bp rows of 64 (falls into mm_fresh) ----
norm_mm:
        push si
        mov si, X
        times 509-($-$$) nop    ; (none: the code fills the sector)
        db 0x3d                 ; cmp ax, 0xaa55: the boot signature, run through (flags only)
        dw 0xaa55
        mov cl, 64


        xor edi, edi            ; sum of squares (wraps)
.sq:    lodsd
        sar eax, 8
        mul eax                 ; (the low half is the same for mul and imul)
        add edi, eax
        loop .sq
        xor ebx, ebx            ; isqrt (q_isqrt): the last r with r*r <= sum
.nt:    inc ebx
        mov eax, ebx
        mul eax
        jc .rt                  ; r*r past 32 bits (r = 2^16): larger than any sum
        cmp eax, edi
        jbe .nt
.rt:    dec ebx                 ; r = 8 rms 2^8
        mov si, X
        mov di, XB
        mov cl, 64
.dv:    lodsd                   ; XB = X 2^11 / r: 64-bit dividend, idiv
        cdq
        shld edx, eax, 11
        shl eax, 11
        idiv ebx
        stosd
        loop .dv
        pop si                  ; (falls into mm_fresh)

; ---- mm_fresh: SCR = W XB for bp rows of 64 inputs ----
mm_fresh:
        mov cx, bp
        mov di, SCR
        pusha
        xor eax, eax
        rep stosd
        popa
        mov bp, XB + 4*64
; ---- matmul (q_matmul_add): [di + 4i] += (sum_j w[i][j] XB[j]) M[i] >> 32
;      esi = rows [n int8][int32 M], cx = rows, bp = XB + 4 n; esi ends past them
matmul:
.row:   xor edx, edx            ; acc
        mov bx, XB
.col:   a32 lodsb
        cbw  ; superopt: 2faf9a74ca817449feffdab4261393fd
        cwde
        imul eax, [bx]
        add edx, eax
        add bx, 4
        cmp bx, bp
        jb .col
        a32 lodsd               ; M
        imul edx                ; edx = acc M >> 32
        add [di], edx
        scasd                   ; di += 4
        loop .row
        ret

; ---- mm_x: X += W XB for 64 rows of (bp - XB) / 4 inputs ----
mm_x:   mov di, X
        mov cl, 64
        jmp matmul

; ---- dot (q_dot), dot2 (two terms): eax = sum of cx products ([si] [ebx]) >> 16;
;      ebx advances, si is kept, ebp clobbered ----
dot2:   mov cl, 2                ; (cx = 0 after every loop before it)
dot:    push si
        xor ebp, ebp
.d:     lodsd
        imul dword [ebx]
        shrd eax, edx, 16
        add ebp, eax
        add ebx, 4
        loop .d
        xchg eax, ebp
        pop si
        ret

; ---- lookup (q_table): eax = word [ebx + 2 clamp(eax >> 8, 0, 8191)] ----
lookup: sar eax, 8
        cmp eax, 8191
        jbe .in
        sar eax, 31             ; -1 below the table, 0 above
        not eax
        shr eax, 19             ; 0 below, 8191 above
.in:    movzx eax, word [ebx+eax*2]
        ret

; GDTR and GDT, overlapped: the GDTR's base points BASE / 16 bytes before the
; flat data descriptor (selector BASE / 16), so the descriptors below it are
; whatever precedes it (never loaded); the base's zero high word is also the
; descriptor's limit 15:0 (with G = 1 and limit 19:16 = 0xF the segment
; still reaches 3.75 GiB above BASE)
gdtr:   dw BASE / 16 + 7        ; limit
        dw desc - BASE / 16     ; base 15:0
desc:   dw 0                    ; base 31:16 | descriptor: limit 15:0
        dw BASE                 ; base 15:0
        db 0, 0x92, 0xcf, 0     ; base 23:16, data rw, G=1 32-bit limit 0xF, base 31:24

