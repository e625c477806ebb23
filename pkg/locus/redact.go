package locus

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinRedactLen is the shortest secret Redact masks: masking one- or
// two-character secrets would garble every message without hiding anything.
const MinRedactLen = 3

// wholeWordBelow is the length under which a secret is masked only where it
// stands as a word of its own: a short password such as "demo" must not
// turn "demoMode" into "[redacted]Mode", which garbles unrelated text and
// reveals the secret. A longer secret is masked wherever it appears.
const wholeWordBelow = 12

// Redact returns s with every secret (and its query- and path-escaped
// spellings, in case a server echoes a request) replaced by "[redacted]".
// Secrets shorter than MinRedactLen are ignored; those shorter than 12
// characters are replaced only where no letter or digit touches them.
func Redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) < MinRedactLen {
			continue
		}
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
			if len(form) >= wholeWordBelow {
				s = strings.ReplaceAll(s, form, "[redacted]")
			} else {
				s = replaceWord(s, form)
			}
		}
	}
	return s
}

// replaceWord replaces the occurrences of word not touching a letter or
// digit on either side.
func replaceWord(s, word string) string {
	var b strings.Builder
	last := 0
	for from := 0; from <= len(s); {
		i := strings.Index(s[from:], word)
		if i < 0 {
			break
		}
		i += from
		end := i + len(word)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if isWordRune(before) || isWordRune(after) {
			from = i + 1
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString("[redacted]")
		last, from = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
