"""Named events of reader questions that other parts subscribe to, sent after the write
commits."""

from django.dispatch import Signal

# Questions were merged into one whose answer is out already. Sent with `article`, the
# answer; answer_mail tells the new askers, as articles.events.published does for the first.
joined_an_answer = Signal()
