import Glibc

/// termios helpers shared by `SerialPort` and `PseudoTerminal`.
enum Termios {
    /// The `Bxxx` constant of a standard rate.
    static func speed(for baud: Int) -> speed_t? {
        switch baud {
        case 300: speed_t(B300)
        case 600: speed_t(B600)
        case 1200: speed_t(B1200)
        case 1800: speed_t(B1800)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 9600: speed_t(B9600)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115200: speed_t(B115200)
        case 230400: speed_t(B230400)
        default: nil
        }
    }

    /// Puts `fd` in raw mode with `settings`, VMIN = VTIME = 0 (reads are driven by poll),
    /// receiver on, modem status lines ignored, no flow control. `drain` waits for pending output first.
    static func configure(fd: Int32, settings: LineSettings, drain: Bool) -> Result<Void, TransportError> {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { return .failure(.system("tcgetattr")) }
        cfmakeraw(&t)
        t.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        t.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD)
        t.c_cflag |= settings.dataBits == 7 ? tcflag_t(CS7) : tcflag_t(CS8)
        switch settings.parity {
        case .none: break
        case .even: t.c_cflag |= tcflag_t(PARENB)
        case .odd: t.c_cflag |= tcflag_t(PARENB) | tcflag_t(PARODD)
        }
        if settings.stopBits == 2 { t.c_cflag |= tcflag_t(CSTOPB) }
        t.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard let speed = speed(for: settings.baud) else {
            return .failure(.unsupportedSetting("baud rate \(settings.baud)"))
        }
        guard cfsetispeed(&t, speed) == 0, cfsetospeed(&t, speed) == 0 else {
            return .failure(.system("cfsetspeed"))
        }
        guard tcsetattr(fd, drain ? TCSADRAIN : TCSANOW, &t) == 0 else { return .failure(.system("tcsetattr")) }
        return .success(())
    }
}
