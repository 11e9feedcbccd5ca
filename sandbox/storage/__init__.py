"""Storage: the embedded S3 server and transcripts archived to S3 at chat end."""
