// Package apperr defines the typed errors that cross from the backend to the faces (UI, HTTP,
// CLI). The faces map each kind to a code: bad input → exit code 2 / HTTP 400, not found → 404,
// conflict → 409, forbidden → 403, anything else → internal.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for the faces.
type Kind string

// The kinds of error a face distinguishes.
const (
	KindBadInput  Kind = "bad_input"
	KindNotFound  Kind = "not_found"
	KindConflict  Kind = "conflict"
	KindForbidden Kind = "forbidden"
	KindInternal  Kind = "internal"
)

// FieldError names one problem with one field of the input, e.g. {"sensors[2].unit", "unknown unit \"degC\""}.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error with a kind and, for bad input, the field-level problems.
type Error struct {
	Kind    Kind         `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

// Error returns the message followed by every field problem.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		b.WriteString("; ")
		if f.Field != "" {
			b.WriteString(f.Field)
			b.WriteString(": ")
		}
		b.WriteString(f.Message)
	}
	return b.String()
}

// BadInput returns a bad-input error with an overall message and optional field problems.
func BadInput(msg string, fields ...FieldError) *Error {
	return &Error{Kind: KindBadInput, Message: msg, Fields: fields}
}

// BadInputf returns a bad-input error with a formatted message.
func BadInputf(format string, args ...any) *Error {
	return &Error{Kind: KindBadInput, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf returns a not-found error with a formatted message.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflictf returns a conflict error (e.g. an id already taken) with a formatted message.
func Conflictf(format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Message: fmt.Sprintf(format, args...)}
}

// Forbiddenf returns a permission error with a formatted message.
func Forbiddenf(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// As returns the first *Error in err's chain, or an internal *Error wrapping err's text.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		if msg := err.Error(); msg != e.Error() {
			// Keep the context that wrapping added in front of the typed error.
			return &Error{Kind: e.Kind, Message: strings.TrimSuffix(msg, e.Error()) + e.Message, Fields: e.Fields}
		}
		return e
	}
	return &Error{Kind: KindInternal, Message: err.Error()}
}
