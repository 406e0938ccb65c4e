package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datadir"
)

// Exit codes of the CLI contract.
const (
	ExitOK       = 0
	ExitFailure  = 1
	ExitBadInput = 2
)

// cli holds the global flags and what every command shares.
type cli struct {
	dataDir string
	asJSON  bool
	assets  fs.FS
	stdout  io.Writer
	stderr  io.Writer
}

// exitCodeFor maps an error to the CLI exit code.
func exitCodeFor(err error) int {
	if apperr.KindOf(err) == apperr.KindBadInput {
		return ExitBadInput
	}
	return ExitFailure
}

// silentExit ends a command with a code after it has printed its own output.
type silentExit struct{ code int }

func (s silentExit) Error() string { return fmt.Sprintf("exit %d", s.code) }

// usageError marks a command-line mistake (exit code 2).
type usageError struct{ error }

// Main runs PdM Studio with the given arguments (without the program name) and returns the exit
// code: no arguments open the desktop window, a subcommand runs the CLI.
//
// PDMSTUDIO_ASSETS_DIR, when set, serves the UI from that folder instead of the embedded one (a
// development aid: a freshly built frontend without relinking the binary).
func Main(args []string, assets fs.FS, stdout, stderr io.Writer) int {
	if dir := os.Getenv("PDMSTUDIO_ASSETS_DIR"); dir != "" {
		assets = os.DirFS(dir)
	}
	c := &cli{assets: assets, stdout: stdout, stderr: stderr}
	root := c.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var se silentExit
	if errors.As(err, &se) {
		return se.code
	}
	code := ExitFailure
	var ue usageError
	if errors.As(err, &ue) || apperr.KindOf(err) == apperr.KindBadInput || strings.HasPrefix(err.Error(), "unknown command") ||
		strings.HasPrefix(err.Error(), "unknown flag") || strings.HasPrefix(err.Error(), "unknown shorthand flag") {
		code = ExitBadInput
	}
	if c.asJSON {
		e := apperr.As(err)
		if code == ExitBadInput && e.Kind == apperr.KindInternal {
			e.Kind = apperr.KindBadInput
		}
		json.NewEncoder(stdout).Encode(errorBody{Error: e})
	}
	fmt.Fprintln(stderr, "error:", err)
	return code
}

func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "pdmstudio",
		Short: "PdM Studio: offline predictive maintenance for industrial fleets",
		Long: "PdM Studio: offline predictive maintenance for industrial fleets.\n\n" +
			"Without a command it opens the desktop window. With a command it runs that command and exits\n" +
			"(exit code 0 ok, 1 failure, 2 bad input or usage; with --json stdout holds JSON only).",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			core, err := c.open(cmd.Context(), nil)
			if err != nil {
				return err
			}
			defer core.Close()
			return RunDesktop(core, c.assets)
		},
	}
	root.PersistentFlags().StringVar(&c.dataDir, "data-dir", "", "data directory (default: $"+datadir.EnvVar+" or the OS user data dir)")
	root.PersistentFlags().BoolVar(&c.asJSON, "json", false, "print JSON only on stdout")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(c.versionCommand(), c.doctorCommand(), c.serveCommand(), c.jobsCommand(),
		c.templatesCommand(), c.profileCommand(), c.machinesCommand(), c.fleetCommand(),
		c.seedCommand(), c.dataCommand(), c.trainCommand(), c.generateCommand(), c.validateCommand(), c.synthCommand(),
		c.modelsCommand(), c.predictCommand(), c.mlCommand(), c.alertsCommand(), c.telemetryCommand(),
		c.llmCommand(), c.chatCommand(), c.explainCommand(), c.analyzeCommand())
	return root
}

// open opens the core on the chosen data dir. stderr receives warnings (the CLI) or nil.
func (c *cli) open(ctx context.Context, stderr io.Writer) (*Core, error) {
	dir := c.dataDir
	if dir == "" {
		var err error
		if dir, err = datadir.Default(); err != nil {
			return nil, err
		}
	}
	return OpenCore(ctx, dir, CoreOptions{Stderr: stderr, StderrLevel: slog.LevelWarn})
}

// print writes v as JSON with --json, else calls human.
func (c *cli) print(v any, human func(w io.Writer)) error {
	if c.asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(c.stdout)
	return nil
}

// exactArgs is cobra.ExactArgs with a usage error (exit code 2).
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s needs %s", cmd.CommandPath(), names)}
		}
		return nil
	}
}

// withCore adapts a command body that needs the opened Core: it opens the data dir, runs fn and
// closes the Core again, so every command handles both the same way.
func (c *cli) withCore(fn func(cmd *cobra.Command, args []string, core *Core) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		core, err := c.open(cmd.Context(), c.stderr)
		if err != nil {
			return err
		}
		defer core.Close()
		return fn(cmd, args, core)
	}
}
