; hello.asm - a boot sector that prints a fixed string on COM1 and on the
; screen, then leaves QEMU through the isa-debug-exit port (0xf4).
; corpus/hello/check boots it headless and compares COM1 with expected.txt.

bits 16
org 0x7c00

COM1    equ 0x3f8
EXIT    equ 0xf4                ; isa-debug-exit

start:
        mov ax, 0
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7c00
        cld
        call serial_init
        mov si, msg
.next:
        mov al, [si]
        inc si
        cmp al, 0
        je .done
        call putc
        jmp .next
.done:
        mov al, 0
        mov dx, EXIT
        out dx, al              ; QEMU exits here
.hang:  hlt
        jmp .hang

; serial_init: COM1 at 9600 baud, 8N1 (BIOS int 14h, ah=0)
serial_init:
        mov ah, 0
        mov al, 0xe3
        mov dx, 0
        int 0x14
        ret

; putc: al to COM1 (polling the line status register) and to the screen
putc:
        push ax
        mov dx, COM1 + 5
.wait:
        in al, dx
        test al, 0x20
        jz .wait
        pop ax
        mov dx, COM1
        out dx, al
        mov ah, 0x0e
        mov bh, 0
        mov bl, 7
        int 0x10
        ret

msg:    db "Hello from sectoropt!", 13, 10, 0

        times 510-($-$$) db 0
        dw 0xaa55
