"""What goes out and the evidence that it may: the output folder, the signed manifest, items as
data, the feed, the deployed-site check, and the review gate (`publishing.review`)."""
