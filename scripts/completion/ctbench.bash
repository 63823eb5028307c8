# SPDX-License-Identifier: GPL-2.0
#
# bash completion for ctbench (installed as
# $(PREFIX)/share/bash-completion/completions/ctbench).  Commands,
# options and option values come from the binary's own option tables
# through the hidden `ctbench --complete`; op names from `ctbench list`
# when /dev/cachetlb is there (none otherwise).

_ctbench()
{
	local ctb=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local prev='' sub='' i w vals kind
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) sub=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$sub" ]; then
		case $cur in
		-*) vals='--help --version' ;;
		*) vals=$("$ctb" --complete 2>/dev/null) ;;
		esac
		COMPREPLY=($(compgen -W "$vals" -- "$cur"))
		return 0
	fi

	# the value of the option before the cursor
	if [[ $prev == -* && $cur != -* ]]; then
		vals=$("$ctb" --complete "$sub" "$prev" 2>/dev/null)
		if [ "$vals" = "@file" ]; then
			COMPREPLY=($(compgen -f -- "$cur"))
			return 0
		elif [ -n "$vals" ]; then
			COMPREPLY=($(compgen -W "$vals" -- "$cur"))
			return 0
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$ctb" --complete "$sub" 2>/dev/null)" -- "$cur"))
		return 0
	fi

	kind=$("$ctb" --complete "$sub" '' 2>/dev/null)
	case $kind in
	ops)
		# the op table: a header line, then "index name family ..."
		vals=$("$ctb" list 2>/dev/null | while read -r i w _; do
			[[ $i =~ ^[0-9]+$ ]] && echo "$w"
		done)
		COMPREPLY=($(compgen -W "$vals" -- "$cur"))
		;;
	sets) COMPREPLY=($(compgen -d -- "$cur")) ;;
	files) COMPREPLY=($(compgen -f -- "$cur")) ;;
	commands) COMPREPLY=($(compgen -W "$("$ctb" --complete 2>/dev/null)" -- "$cur")) ;;
	'') ;;
	*) COMPREPLY=($(compgen -W "${kind//,/ }" -- "$cur")) ;;
	esac
	return 0
}
complete -F _ctbench ctbench
