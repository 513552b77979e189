// SPDX-License-Identifier: GPL-2.0
/* A small vsnprintf for host mode; see hv/include/hv/printk.h. */
#include <hv/printk.h>

struct out {
	char *buf;
	size_t size;
	size_t len;	/* what the output would need, even if cut */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_field(struct out *o, const char *s, int len, int width,
		      bool left)
{
	int i;

	if (!left)
		pad(o, ' ', width - len);
	for (i = 0; i < len; i++)
		put(o, s[i]);
	if (left)
		pad(o, ' ', width - len);
}

struct number_format {
	unsigned int base;
	bool upper;	/* hexadecimal digits and prefix in capitals */
	bool alt;	/* '#': 0x before hexadecimal, 0 before octal */
	bool left;
	bool zero;
	int width;
};

static void put_number(struct out *o, u64 value, bool negative,
		       const struct number_format *f)
{
	const char *digits = f->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *prefix = "";
	char tmp[24];
	int n = 0, len;

	if (f->alt && value && f->base == 16)
		prefix = f->upper ? "0X" : "0x";
	do {
		tmp[n++] = digits[value % f->base];
		value /= f->base;
	} while (value);
	if (f->alt && f->base == 8 && tmp[n - 1] != '0')
		tmp[n++] = '0';
	len = n + negative + (prefix[0] ? 2 : 0);

	if (!f->left && !f->zero)
		pad(o, ' ', f->width - len);
	if (negative)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	if (!f->left && f->zero)
		pad(o, '0', f->width - len);
	while (n)
		put(o, tmp[--n]);
	if (f->left)
		pad(o, ' ', f->width - len);
}

enum size { SIZE_CHAR, SIZE_SHORT, SIZE_INT, SIZE_LONG, SIZE_LLONG };

static u64 get_unsigned(va_list *ap, enum size size)
{
	switch (size) {
	case SIZE_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case SIZE_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case SIZE_INT:
		return va_arg(*ap, unsigned int);
	case SIZE_LONG:
		return va_arg(*ap, unsigned long);
	default:
		return va_arg(*ap, unsigned long long);
	}
}

static s64 get_signed(va_list *ap, enum size size)
{
	switch (size) {
	case SIZE_CHAR:
		return (signed char)va_arg(*ap, int);
	case SIZE_SHORT:
		return (short)va_arg(*ap, int);
	case SIZE_INT:
		return va_arg(*ap, int);
	case SIZE_LONG:
		return va_arg(*ap, long);
	default:
		return va_arg(*ap, long long);
	}
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		struct number_format f = { .base = 10 };
		enum size sz = SIZE_INT;
		s64 sval;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0' || *fmt == '#'; fmt++) {
			if (*fmt == '-')
				f.left = true;
			else if (*fmt == '0')
				f.zero = true;
			else
				f.alt = true;
		}
		while (*fmt >= '0' && *fmt <= '9')
			f.width = f.width * 10 + *fmt++ - '0';
		for (; *fmt == 'h' || *fmt == 'l' || *fmt == 'z'; fmt++) {
			if (*fmt == 'h')
				sz = sz == SIZE_SHORT ? SIZE_CHAR : SIZE_SHORT;
			else if (*fmt == 'l' && sz == SIZE_LONG)
				sz = SIZE_LLONG;
			else
				sz = SIZE_LONG;	/* l, or z: size_t is long */
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			sval = get_signed(&args, sz);
			put_number(&o, sval < 0 ? -(u64)sval : (u64)sval,
				   sval < 0, &f);
			break;
		case 'u':
			put_number(&o, get_unsigned(&args, sz), false, &f);
			break;
		case 'x':
		case 'X':
			f.base = 16;
			f.upper = *fmt == 'X';
			put_number(&o, get_unsigned(&args, sz), false, &f);
			break;
		case 'o':
			f.base = 8;
			put_number(&o, get_unsigned(&args, sz), false, &f);
			break;
		case 'p':	/* as glibc: 0x and the hexadecimal value */
			put(&o, '0');
			put(&o, 'x');
			f.base = 16;
			f.width -= 2;
			put_number(&o, (unsigned long)va_arg(args, void *), false,
				   &f);
			break;
		case 'c': {
			char c = va_arg(args, int);

			put_field(&o, &c, 1, f.width, f.left);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			int len = 0;

			if (!s)
				s = "(null)";
			while (s[len])
				len++;
			put_field(&o, s, len, f.width, f.left);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:	/* unknown or truncated: show it as it was */
			put(&o, '%');
			if (!*fmt)
				fmt--;
			else
				put(&o, *fmt);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}
