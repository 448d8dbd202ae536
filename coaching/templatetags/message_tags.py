from django import template

register = template.Library()


@register.filter
def placed(messages, place):
    """The messages meant for `place`: those added with extra_tags=place, so a confirmation can
    show where the visitor is (e.g. beside the form just sent) rather than at the top of the page;
    with no place, the others."""
    return [message for message in messages if (message.extra_tags or "") == place]
