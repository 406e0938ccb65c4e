// Command pdmstudio is PdM Studio: without arguments it opens the desktop window (Wails); with a
// subcommand it runs the CLI; `pdmstudio serve` serves the UI and services over HTTP.
package main

import (
	"embed"
	"io/fs"
	"os"

	"pdmstudio/app"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		panic(err)
	}
	os.Exit(app.Main(os.Args[1:], dist, os.Stdout, os.Stderr))
}
