"""`gongkai inspect`: the national government-website inspection run on a built site."""
