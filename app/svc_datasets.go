package app

import (
	"bytes"
	"context"
	"encoding/base64"

	"pdmstudio/backend/apperr"
	"pdmstudio/backend/datasets"
	"pdmstudio/backend/jobs"
	"pdmstudio/backend/onboard"
	"pdmstudio/backend/store"
)

// Datasets is the service behind the Data Explorer: a machine's seed/train/val/test datasets.
type Datasets struct{ c *Core }

// List returns the datasets a machine has.
func (d *Datasets) List(ctx context.Context, machineID string) ([]onboard.DatasetInfo, error) {
	return d.c.Workflow.Datasets(ctx, machineID)
}

// Stats returns per-column statistics of one dataset (all columns when columns is empty).
func (d *Datasets) Stats(ctx context.Context, machineID, dataset string, columns []string) ([]datasets.ColumnStats, error) {
	t, err := d.c.Workflow.Table(ctx, machineID, dataset)
	if err != nil {
		return nil, err
	}
	return datasets.Describe(t, columns...)
}

// Histogram bins one column of one or more datasets of a machine over shared bins.
func (d *Datasets) Histogram(ctx context.Context, machineID string, dataSets []string, column string, bins int) (*datasets.Histogram, error) {
	if len(dataSets) == 0 || len(dataSets) > 4 {
		return nil, apperr.BadInput("choose datasets", apperr.FieldError{Field: "datasets", Message: "give 1 to 4 datasets"})
	}
	var ts []*datasets.Table
	for _, k := range dataSets {
		t, err := d.c.Workflow.Table(ctx, machineID, k)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return datasets.HistogramOf(column, bins, ts...)
}

// Series returns one column as a downsampled (LTTB) line, optionally for one unit.
func (d *Datasets) Series(ctx context.Context, machineID, dataset string, q datasets.SeriesQuery) (*datasets.Series, error) {
	t, err := d.c.Workflow.Table(ctx, machineID, dataset)
	if err != nil {
		return nil, err
	}
	return datasets.Downsample(t, q)
}

// Correlation returns the Pearson correlation matrix of the numeric columns (or those given).
func (d *Datasets) Correlation(ctx context.Context, machineID, dataset string, columns []string) (*datasets.Correlation, error) {
	t, err := d.c.Workflow.Table(ctx, machineID, dataset)
	if err != nil {
		return nil, err
	}
	return datasets.Correlate(t, columns...)
}

// Rows returns one page of raw rows.
func (d *Datasets) Rows(ctx context.Context, machineID, dataset string, offset, limit int) (*datasets.RowsPage, error) {
	t, err := d.c.Workflow.Table(ctx, machineID, dataset)
	if err != nil {
		return nil, err
	}
	return datasets.Rows(t, offset, limit)
}

// Export returns a dataset as a csv or parquet file.
func (d *Datasets) Export(ctx context.Context, machineID, dataset, format string) (FileData, error) {
	t, err := d.c.Workflow.Table(ctx, machineID, dataset)
	if err != nil {
		return FileData{}, err
	}
	var buf bytes.Buffer
	mime := ""
	switch format {
	case "csv":
		err, mime = datasets.WriteCSV(&buf, t), "text/csv"
	case "parquet":
		err, mime = datasets.EncodeParquet(&buf, t), "application/vnd.apache.parquet"
	default:
		return FileData{}, apperr.BadInput("unknown export format", apperr.FieldError{Field: "format", Message: "use csv or parquet"})
	}
	if err != nil {
		return FileData{}, err
	}
	return FileData{Filename: machineID + "_" + dataset + "." + format, ContentBase64: base64.StdEncoding.EncodeToString(buf.Bytes()), MIMEType: mime}, nil
}

// Onboarding is the service for the onboarding steps of a machine, each run as a job.
type Onboarding struct{ c *Core }

// Seed starts generating a machine's seed data (a job; follow it with job events).
func (o *Onboarding) Seed(ctx context.Context, machineID string, opts onboard.SeedOptions) (jobs.Job, error) {
	return o.c.Workflow.SubmitSeed(ctx, machineID, opts)
}

// Batch starts an operation (see BatchOperations) for many machines, one job each.
func (o *Onboarding) Batch(ctx context.Context, machineIDs []string, operation string, opts onboard.BatchOptions) ([]onboard.BatchItem, error) {
	return o.c.Workflow.Batch(ctx, machineIDs, operation, opts)
}

// BatchOperations lists the operations a batch can run.
func (o *Onboarding) BatchOperations() []string { return o.c.Workflow.BatchOperations() }

// Train starts TVAE training on a machine's seed data (a job: epoch, loss and ETA arrive as job
// events).
func (o *Onboarding) Train(ctx context.Context, machineID string, opts onboard.TrainOptions) (jobs.Job, error) {
	return o.c.Workflow.SubmitTrain(ctx, machineID, opts)
}

// Generate starts sampling synthetic train/val/test sets from a machine's TVAE (a job).
func (o *Onboarding) Generate(ctx context.Context, machineID string, opts onboard.GenerateOptions) (jobs.Job, error) {
	return o.c.Workflow.SubmitGenerate(ctx, machineID, opts)
}

// TrainingRuns returns a machine's TVAE training runs with their loss histories, newest first.
func (o *Onboarding) TrainingRuns(ctx context.Context, machineID string) ([]store.TrainingRun, error) {
	return o.c.Store.TrainingRuns(ctx, machineID, 20)
}

// Validate starts the quality report of a machine's synthetic train set against its seed data
// (a job; the result is the report with its verdict).
func (o *Onboarding) Validate(ctx context.Context, machineID string) (jobs.Job, error) {
	return o.c.Workflow.SubmitValidate(ctx, machineID)
}

// Validation returns a machine's latest validation report.
func (o *Onboarding) Validation(ctx context.Context, machineID string) (*onboard.Validation, error) {
	return o.c.Workflow.LatestValidation(ctx, machineID)
}
